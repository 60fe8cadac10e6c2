// Keyed entry of paper questionnaires at a desk: number keys pick options, Enter moves
// to the next question and, on the last, sends the questionnaire; then the next one
// starts at once. Also the upload of a CSV file of questionnaires.

import { validate, showErrors, collect } from "../answers.js";
import { render, uuid7, post, el } from "./survey.js";

const form = document.getElementById("paper-form");
const csrf = document.querySelector('meta[name="csrf-token"]').content;

if (form) start();

async function start() {
  const box = document.getElementById("paper-questions");
  const area = document.getElementById("paper-area");
  const home = document.getElementById("paper-household");
  const result = document.getElementById("paper-result");
  const count = document.getElementById("paper-count");
  // The household field shows how the chosen area's list writes door numbers.
  const example = () => {
    const opt = area.selectedOptions[0];
    home.placeholder = "如 " + ((opt && opt.dataset.example) || "3-2-501");
  };
  area.addEventListener("change", example);
  example();
  let def;
  try {
    const res = await fetch(form.dataset.definition, { credentials: "same-origin", headers: { Accept: "application/json" } });
    def = await res.json();
    if (!res.ok) throw new Error(def.message);
  } catch (e) {
    box.textContent = "问卷加载失败，请刷新页面重试。";
    return;
  }
  let fieldsets = [];
  let pending = null; // the client id of a questionnaire sent but not acknowledged
  let started = new Date().toISOString();
  let entered = 0;

  const visibleSets = () => fieldsets.filter((fs) => !fs.hidden);
  const focusOn = (fs) => {
    const target = fs.dataset.type === "text" ? fs.querySelector("input, textarea") : fs;
    target.focus();
    fs.scrollIntoView({ block: "center" });
  };
  const reset = () => {
    fieldsets = render(def, box, true);
    for (const fs of fieldsets) if (fs.dataset.type === "text") fs.removeAttribute("tabindex");
    pending = null;
    started = new Date().toISOString();
  };
  const say = (msg, ok) => {
    result.textContent = msg;
    result.className = "result " + (ok ? "notice" : msg ? "alert" : "");
  };

  box.addEventListener("keydown", (ev) => {
    const fs = ev.target.closest("fieldset.q");
    if (!fs) return;
    const choice = fs.dataset.type !== "text";
    if (choice && /^[0-9]$/.test(ev.key) && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      const opts = [...fs.querySelectorAll("input")];
      const input = opts[ev.key === "0" ? 9 : Number(ev.key) - 1];
      if (input) {
        input.checked = fs.dataset.type === "multi" ? !input.checked : true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      ev.preventDefault();
      return;
    }
    if (ev.key === "Enter" && !(ev.target.tagName === "TEXTAREA" && ev.shiftKey)) {
      ev.preventDefault();
      collect(fieldsets);
      const list = visibleSets();
      const next = list[list.indexOf(fs) + 1];
      if (next) focusOn(next);
      else form.requestSubmit();
    }
  });
  box.addEventListener("change", () => collect(fieldsets));
  home.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      focusOn(visibleSets()[0]);
    }
  });

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const { answers, fields } = validate(fieldsets);
    const first = showErrors(fieldsets, fields);
    if (first) {
      say("有 " + Object.keys(fields).length + " 道题未填写或填写有误，请检查标红的题目");
      focusOn(first);
      return;
    }
    pending = pending || uuid7();
    const body = { survey: form.dataset.survey, area: area.value, household: home.value.trim(), client_id: pending,
      channel: "paper", answers, started_at: started };
    say("正在提交…", true);
    const { res, body: reply } = await post("/api/v1/responses", body, csrf);
    if (!res) {
      say("网络连接失败，本份答案仍保留在页面上，请检查网络后再按 Enter 提交。");
      return;
    }
    if (res.ok) {
      entered++;
      count.textContent = entered;
      say("第 " + entered + " 份已保存" + (body.household ? "（住户 " + body.household + "）" : "") + "，请录入下一份。", true);
      const hadHome = body.household !== "";
      home.value = "";
      reset();
      if (hadHome) home.focus();
      else focusOn(visibleSets()[0]);
      return;
    }
    if (reply.fields) showErrors(fieldsets, reply.fields);
    say(reply.message || "提交失败（" + res.status + "）");
    if (res.status !== 503 && res.status !== 429) pending = null;
  });

  document.getElementById("paper-upload").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const out = document.getElementById("upload-result");
    out.textContent = "正在导入…";
    let res, reply;
    try {
      res = await fetch("/api/v1/paper/import?survey=" + encodeURIComponent(form.dataset.survey), {
        method: "POST", credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": csrf },
        body: new FormData(ev.target),
      });
      reply = await res.json().catch(() => ({}));
    } catch (e) {
      out.textContent = "网络连接失败，请稍后重试。";
      return;
    }
    out.textContent = "";
    if (res.ok) {
      out.append(el("p", { className: "notice", text: "导入完成：新增 " + reply.created + " 份" + (reply.replayed ? "，" + reply.replayed + " 份此前已导入（未重复计数）" : "") + "。" }));
      return;
    }
    out.append(el("p", { className: "alert", text: reply.message || "导入失败（" + res.status + "）" }));
    if (reply.lines) out.append(el("p", { className: "lines", text: reply.lines.join("\n") }));
  });

  reset();
  focusOn(visibleSets()[0]);
}
