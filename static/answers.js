// The rules a questionnaire's fieldsets (fieldset.q and its data- attributes) follow
// before it is sent, as the server checks them (survey.Definition.Check): show_if,
// required questions, the most choices, text length and phone numbers. Shared by the
// resident form (form.js) and the volunteers' app (v/).

const phone = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
export const maxText = 500; // survey.DefaultTextMax

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

// collect walks the questions in order, as the server does, hiding those whose
// show_if is not met, and returns the answers of the visible ones.
export function collect(fieldsets) {
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

// check returns what is wrong with a question's answer, in Chinese, or "".
export function check(fs, answers) {
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
  if (type === "text" && [...v].length > (max || maxText)) return "最多填写" + (max || maxText) + "个字";
  return "";
}

// limitChoices undoes the tick just made on input when it goes beyond its question's
// most choices (data-max), says so, and reports whether it did.
export function limitChoices(input) {
  const fs = input.closest("fieldset.q");
  if (!fs || fs.dataset.type !== "multi" || !input.checked) return false;
  const max = Number(fs.dataset.max || 0);
  if (!max || fs.querySelectorAll("input:checked").length <= max) return false;
  input.checked = false;
  showError(fs, "最多选择" + max + "项，请先取消一项");
  return true;
}

// progress counts the shown questions and those of them answered.
export function progress(fieldsets, answers) {
  const shown = fieldsets.filter((fs) => !fs.hidden);
  return { done: shown.filter((fs) => answers[fs.dataset.q]).length, total: shown.length };
}

// showError marks a question as wrong for msg, or as right when msg is "".
export function showError(fs, msg) {
  fs.classList.toggle("invalid", !!msg);
  fs.querySelector(".err").textContent = msg || "";
}

// showErrors marks the questions named in fields and returns the first of them.
export function showErrors(fieldsets, fields) {
  let first = null;
  for (const fs of fieldsets) {
    const msg = fields[fs.dataset.q] || "";
    showError(fs, msg);
    if (msg && !first) first = fs;
  }
  return first;
}

// validate checks every question and returns the answers and the problems found.
export function validate(fieldsets) {
  const answers = collect(fieldsets);
  const fields = {};
  for (const fs of fieldsets) {
    const msg = check(fs, answers);
    if (msg) fields[fs.dataset.q] = msg;
  }
  return { answers, fields };
}
