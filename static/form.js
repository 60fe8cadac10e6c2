// The resident form, enhanced: show_if, inline validation, a draft kept on the phone,
// a progress line, and submission through the JSON API with retries under the same
// client_id so that nothing is counted twice. Without this script the form still
// works as a plain POST.

import { collect, check, showError, showErrors, validate, limitChoices, progress } from "./answers.js";
import { saveDraft, restoreDraft, clearDraft } from "./draft.js";

const form = document.getElementById("survey-form");
const alertBox = document.getElementById("form-alert");
const progressBox = document.getElementById("form-progress");
const statusLine = document.getElementById("form-status");
const button = form.querySelector("button[type=submit]");
const place = form.dataset.survey + ":" + form.dataset.area;
const pendingKey = "minyi:pending:" + place;
const draftKey = "minyi:draft:" + place;

const fieldsets = [...form.querySelectorAll("fieldset.q")];

// mark shows the problems named in fields and scrolls to the first of them.
function mark(fields) {
  const first = showErrors(fieldsets, fields);
  if (first) first.scrollIntoView({ behavior: "smooth", block: "center" });
  return first;
}

function say(msg, ok) {
  alertBox.hidden = !msg;
  alertBox.textContent = msg || "";
  alertBox.classList.toggle("ok", !!ok);
}

// refresh re-runs show_if, updates the progress line and returns the answers.
function refresh() {
  const answers = collect(fieldsets);
  const { done, total } = progress(fieldsets, answers);
  progressBox.hidden = false;
  progressBox.querySelector(".progress-text").textContent = "已答 " + done + " / " + total + " 题";
  progressBox.querySelector(".progress-bar i").style.width = (total ? (100 * done) / total : 0) + "%";
  return answers;
}

form.addEventListener("change", (ev) => {
  const limited = ev.target.type === "checkbox" && limitChoices(ev.target);
  const answers = refresh();
  const fs = ev.target.closest("fieldset.q");
  if (!limited && fs && fs.classList.contains("invalid")) showError(fs, check(fs, answers));
  saveDraft(draftKey, fieldsets);
});

form.addEventListener("input", (ev) => {
  if (ev.target.type === "radio" || ev.target.type === "checkbox") return; // change handles them
  refresh();
  saveDraft(draftKey, fieldsets);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// pendingID keeps the client_id of a submission not yet acknowledged, so that a retry,
// even after a reload, is recognised by the server as the same submission.
function pendingID() {
  try {
    const saved = localStorage.getItem(pendingKey);
    if (saved) return saved;
    localStorage.setItem(pendingKey, form.elements.client_id.value);
  } catch (e) { /* private mode: the page's own id still works */ }
  return form.elements.client_id.value;
}

// payload is the JSON submission: the answers and every per-view hidden field the page
// carries (client_id, started_at and whatever else the server issued with the form).
function payload(answers) {
  const body = { survey: form.dataset.survey, area: form.dataset.area };
  for (const el of form.elements) {
    if (el.type === "hidden" && el.name) body[el.name] = el.value;
  }
  body.client_id = pendingID();
  body.answers = answers;
  return body;
}

// finished forgets the draft and the pending id once the server holds an answer from
// this phone, and leaves the form without a history entry to come Back to.
function finished(to) {
  clearDraft(draftKey);
  try { localStorage.removeItem(pendingKey); } catch (e) { /* ignore */ }
  location.replace(to);
}

async function send(body) {
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch("/api/v1/responses", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
    } catch (e) {
      res = null; // offline or the connection dropped: the server may or may not have it
    }
    if (res && res.status < 500 && res.status !== 429) return res;
    if (attempt >= 5) return res;
    const wait = res && res.headers.get("Retry-After") ? Number(res.headers.get("Retry-After")) * 1000 : 1000 * 2 ** attempt;
    statusLine.textContent = "网络不稳定，正在重试（第" + (attempt + 1) + "次）…";
    await sleep(Math.min(wait, 15000));
  }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const { answers, fields } = validate(fieldsets);
  if (mark(fields)) {
    say("有 " + Object.keys(fields).length + " 道题未填写或填写有误，请检查标红的题目");
    return;
  }
  say("");
  button.disabled = true;
  statusLine.textContent = "正在提交…";
  const res = await send(payload(answers));
  button.disabled = false;
  statusLine.textContent = "";
  if (!res) {
    say("网络连接失败，您的答案仍保留在本页，请检查网络后再点击“提交问卷”。");
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.ok) return finished(form.getAttribute("action") + "/thanks");
  // This phone answered already: the form's own address now opens on 已参与.
  if (body.error === "duplicate_device") return finished(form.getAttribute("action"));
  if (body.fields) mark(body.fields);
  say(body.message || "提交失败，请稍后再试");
});

// A page brought back from the browser's memory (Back after sending) is asked for
// again, so that the server decides between the form and 已参与.
window.addEventListener("pageshow", (ev) => {
  if (ev.persisted) location.reload();
});

restoreDraft(draftKey, fieldsets);
refresh();
