// A survey definition (the JSON of /api/v1/volunteer/surveys/:id) laid out as a form
// that follows the resident form's rules (../answers.js), and what the app's views
// share: elements, household keys, ids, digests and JSON posts.

import { collect, maxText } from "../answers.js";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("data-") || k === "for" || k === "tabindex" || k === "inputmode" || k === "autocomplete") e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c) e.append(c);
  return e;
}
export { el };

// render lays the questions of def out in container and returns their fieldsets. With
// keys set, each question is one stop of the Tab key and its options are numbered for
// the number keys (paper entry).
export function render(def, container, keys) {
  container.textContent = "";
  const fieldsets = [];
  let section = null;
  let title = null;
  def.questions.forEach((q, i) => {
    if (!section || (q.section && q.section !== title)) {
      title = q.section || "";
      section = el("section", {}, title ? el("h2", { text: title }) : null);
      container.append(section);
    }
    const fs = el("fieldset", {
      className: "q", id: "q-" + q.id, "data-q": q.id, "data-type": q.type,
      "data-required": q.required ? "1" : null, "data-max": q.max || null, "data-format": q.format || null,
      "data-show-if": q.show_if ? q.show_if.question : null, "data-show-in": q.show_if ? q.show_if.in.join(" ") : null,
      tabindex: keys ? "0" : null,
    });
    const legend = el("legend", {}, el("span", { className: "num", text: i + 1 + "." }), " " + q.text);
    if (q.required) legend.append(el("span", { className: "req", text: "*" }));
    else legend.append(el("span", { className: "optional", text: "（选填）" }));
    if (q.type === "multi") legend.append(el("span", { className: "optional", text: "（多选" + (q.max ? "，最多" + q.max + "项" : "") + "）" }));
    fs.append(legend);
    if (q.hint) fs.append(el("p", { className: "hint", text: q.hint }));
    if (q.type === "text") {
      const max = q.max || maxText;
      fs.append(q.format === "phone"
        ? el("input", { type: "tel", name: q.id, maxLength: 20, autocomplete: "off", inputmode: "tel" })
        : el("textarea", { name: q.id, rows: 2, maxLength: max }));
    } else {
      q.options.forEach((o, k) => {
        const input = el("input", { type: q.type === "single" ? "radio" : "checkbox", name: q.id, value: o.id, tabindex: keys ? "-1" : null });
        fs.append(el("label", { className: "opt" }, input,
          keys && k < 10 ? el("kbd", { text: String((k + 1) % 10) }) : null, el("span", { text: o.text })));
      });
    }
    fs.append(el("p", { className: "err", id: "err-" + q.id }));
    section.append(fs);
    fieldsets.push(fs);
  });
  collect(fieldsets);
  return fieldsets;
}

// householdKey writes a door number the way the server does (household.Key): full-width
// characters as ASCII, every dash and "/" as "-", no spaces, letters upper case, and
// 栋/幢/号楼/座/单元/室/号/# after a letter or digit as "-", one "-" between two parts:
// "1栋1单元101室" is "1-1-101".
const householdMarkers = ["号楼", "单元", "栋", "幢", "座", "室", "号", "#"];
const householdDashes = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0x2043];
export function householdKey(s) {
  const rs = [];
  for (const ch of s) {
    let c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    if (householdDashes.includes(c)) c = 0x2d;
    const t = String.fromCodePoint(c);
    if (/\s/.test(t)) continue;
    rs.push(c >= 0x61 && c <= 0x7a ? t.toUpperCase() : t);
  }
  let out = "";
  const sep = () => { if (out !== "" && !out.endsWith("-")) out += "-"; };
  for (let i = 0; i < rs.length; ) {
    if (rs[i] === "-" || rs[i] === "/") { sep(); i++; continue; }
    const m = i > 0 && /^[0-9A-Z]$/.test(rs[i - 1]) ? householdMarkers.find((w) => rs.slice(i, i + w.length).join("") === w) : undefined;
    if (m) { sep(); i += m.length; continue; }
    out += rs[i++];
  }
  return out.endsWith("-") ? out.slice(0, -1) : out;
}

// uuid7 returns a new UUID of version 7: the time in milliseconds, then random bits,
// so that entries sort by when they were made.
export function uuid7() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

// digest is the SHA-256 of a text, in hex; outside a secure context, where browsers
// offer no SHA-256, a 32-bit FNV-1a hash marked as such.
export async function digest(text) {
  const bytes = new TextEncoder().encode(text);
  if (!(globalThis.crypto && crypto.subtle)) {
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return "fnv1a:" + h.toString(16).padStart(8, "0");
  }
  const sum = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(sum)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

// post sends a JSON body with the session's CSRF token and returns the response and
// its decoded body; a network failure returns a null response.
export async function post(url, body, csrf) {
  let res;
  try {
    res = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf || "" },
      body: JSON.stringify(body),
    });
  } catch (e) {
    return { res: null, body: {} };
  }
  const data = await res.json().catch(() => ({}));
  return { res, body: data };
}
