// Reporting a problem found on a visit (发现问题): a category from the survey's
// problem checklist and what was seen, sent to /api/v1/problems as source "visit"
// for the area entered. It needs the network; answers keep queueing offline.

import { el } from "./survey.js";

// problemCard is the home screen's card for reporting a problem in app.area.
export function problemCard(app) {
  const def = app.survey && app.defs[app.survey.id + "@" + app.survey.version];
  const list = def && def.questions.find((q) => q.type === "multi");
  const cats = list ? list.options.map((o) => o.text) : [];
  if (!cats.includes("其他")) cats.push("其他");
  const category = el("select", { id: "problem-category" }, ...cats.map((c) => el("option", { value: c, text: c })));
  const text = el("textarea", { id: "problem-text", rows: 3, maxLength: 1000, placeholder: "如：5号楼楼道堆放杂物" });
  const msg = el("p", { className: "muted", id: "problem-msg", role: "status" });
  const send = el("button", { type: "button", id: "problem-send", text: "上报问题" });
  send.onclick = async () => {
    if (!text.value.trim()) {
      msg.textContent = "请填写发现的问题";
      return;
    }
    if (!navigator.onLine) {
      msg.textContent = "当前没有网络，请联网后再上报问题";
      return;
    }
    send.disabled = true;
    try {
      const res = await fetch("/api/v1/problems", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": app.me.csrf },
        body: JSON.stringify({ area: app.area, category: category.value, description: text.value.trim(), source: "visit" }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.message || "上报失败（" + res.status + "）");
      msg.textContent = "已上报问题 #" + body.id + "，社区将交办整改";
      text.value = "";
    } catch (e) {
      msg.textContent = e.message.startsWith("上报") || !e.message.includes("fetch") ? e.message : "网络不稳定，请稍后再试";
    }
    send.disabled = false;
  };
  return el("details", { className: "card problem-report", id: "problem-report" },
    el("summary", { text: "走访中发现问题？上报社区" }),
    el("label", { text: "类别" }, category),
    el("label", { text: "问题描述" }, text),
    send, msg);
}
