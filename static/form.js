// The resident form, enhanced: show_if, inline validation, and submission through the
// JSON API with retries under the same client_id so that nothing is counted twice.
// Without this script the form still works as a plain POST.

const form = document.getElementById("survey-form");
const alertBox = document.getElementById("form-alert");
const statusLine = document.getElementById("form-status");
const button = form.querySelector("button[type=submit]");
const phone = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const storageKey = "minyi:pending:" + form.dataset.survey + ":" + form.dataset.area;

const fieldsets = [...form.querySelectorAll("fieldset.q")];

function inputs(fs) {
  return [...fs.querySelectorAll("input, textarea")];
}

// value returns a question's answer: an option id, a list of ids, or text ("" when blank).
function value(fs) {
  const els = inputs(fs);
  if (fs.dataset.type === "multi") return els.filter((e) => e.checked).map((e) => e.value);
  if (fs.dataset.type === "single") return (els.find((e) => e.checked) || {}).value || "";
  return els[0].value.trim();
}

function visible(fs, answers) {
  const on = fs.dataset.showIf;
  if (!on) return true;
  const want = fs.dataset.showIn.split(" ");
  const got = answers[on];
  return Array.isArray(got) ? got.some((v) => want.includes(v)) : want.includes(got);
}

// collect walks the questions in order, as the server does, skipping hidden ones.
function collect() {
  const answers = {};
  for (const fs of fieldsets) {
    const show = visible(fs, answers);
    fs.hidden = !show;
    inputs(fs).forEach((e) => (e.disabled = !show));
    if (!show) continue;
    const v = value(fs);
    if (v.length) answers[fs.dataset.q] = v;
  }
  return answers;
}

function check(fs, answers) {
  if (fs.hidden) return "";
  const v = answers[fs.dataset.q];
  const type = fs.dataset.type;
  if (!v) {
    if (!fs.dataset.required) return "";
    return type === "single" ? "请选择一项" : type === "multi" ? "请至少选择一项" : "请填写此项";
  }
  const max = Number(fs.dataset.max || 0);
  if (type === "multi" && max && v.length > max) return "最多选择" + max + "项";
  if (type === "text" && fs.dataset.format === "phone" && !phone.test(v)) return "请填写正确的手机号或固定电话";
  if (type === "text" && max && [...v].length > max) return "最多填写" + max + "个字";
  return "";
}

function showError(fs, msg) {
  fs.classList.toggle("invalid", !!msg);
  fs.querySelector(".err").textContent = msg || "";
}

function showErrors(fields) {
  let first = null;
  for (const fs of fieldsets) {
    const msg = fields[fs.dataset.q] || "";
    showError(fs, msg);
    if (msg && !first) first = fs;
  }
  if (first) first.scrollIntoView({ behavior: "smooth", block: "center" });
  return first;
}

function say(msg, ok) {
  alertBox.hidden = !msg;
  alertBox.textContent = msg || "";
  alertBox.classList.toggle("ok", !!ok);
}

form.addEventListener("change", (ev) => {
  const answers = collect();
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
  const answers = collect();
  const fields = {};
  for (const fs of fieldsets) {
    const msg = check(fs, answers);
    if (msg) fields[fs.dataset.q] = msg;
  }
  if (showErrors(fields)) {
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
  if (body.fields) showErrors(body.fields);
  say(body.message || "提交失败，请稍后再试");
});

collect();
