// The resident form, enhanced: show_if, inline validation, and submission through the
// JSON API with retries under the same client_id so that nothing is counted twice.
// Without this script the form still works as a plain POST.

import { collect, check, showError, showErrors, validate } from "./answers.js";

const form = document.getElementById("survey-form");
const alertBox = document.getElementById("form-alert");
const statusLine = document.getElementById("form-status");
const button = form.querySelector("button[type=submit]");
const storageKey = "minyi:pending:" + form.dataset.survey + ":" + form.dataset.area;

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

form.addEventListener("change", (ev) => {
  const answers = collect(fieldsets);
  const fs = ev.target.closest("fieldset.q");
  if (fs && fs.classList.contains("invalid")) showError(fs, check(fs, answers));
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// pending keeps the client_id of a submission not yet acknowledged, so that a retry,
// even after a reload, is recognised by the server as the same submission.
function pendingID() {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved) return saved;
    localStorage.setItem(storageKey, form.elements.client_id.value);
  } catch (e) { /* private mode: the page's own id still works */ }
  return form.elements.client_id.value;
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
  const res = await send({
    survey: form.dataset.survey,
    area: form.dataset.area,
    client_id: pendingID(),
    answers,
    started_at: form.elements.started_at.value,
    form_token: form.elements.form_token.value,
  });
  button.disabled = false;
  statusLine.textContent = "";
  if (!res) {
    say("网络连接失败，您的答案仍保留在本页，请检查网络后再点击“提交问卷”。");
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.ok || body.error === "duplicate_device") {
    try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }
  if (res.ok) {
    location.assign(form.getAttribute("action") + "/thanks");
    return;
  }
  if (body.fields) mark(body.fields);
  say(body.message || "提交失败，请稍后再试");
});

collect(fieldsets);
