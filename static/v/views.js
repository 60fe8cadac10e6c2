// The screens of the volunteers' app: the household list of an area, a visit to one
// household, the questionnaire, and the one-tap move to the next household.

import * as db from "./db.js";
import * as queue from "./queue.js";
import { validate, showErrors, collect, check } from "../answers.js";
import { el, render, uuid7, householdKey } from "./survey.js";
import { problemCard } from "./problem.js";

const outcomeLabels = { completed: "已完成", refused: "拒访", not_home: "不在家", revisit: "需回访" };

function card(...children) {
  return el("div", { className: "card" }, ...children);
}

function show(app, ...nodes) {
  app.view.textContent = "";
  app.view.append(...nodes);
  window.scrollTo(0, 0);
}

function areaName(app, code) {
  const a = app.boot.areas.find((x) => x.code === code);
  return a ? a.name : code;
}

// home shows the area picker, the household list with where each stands, and the
// field for a household that is not listed.
export async function home(app, focusKey) {
  const { boot } = app;
  if (!app.survey) {
    show(app, el("p", { className: "alert", text: "目前没有正在进行的问卷调查，或问卷尚未下载，请联网后刷新。" }));
    return;
  }
  if (!boot.areas.length) {
    show(app, el("p", { className: "alert", text: "您目前没有有效的分派区域，请联系社区工作人员分派后再刷新。" }));
    return;
  }
  if (!boot.areas.some((a) => a.code === app.area)) app.area = boot.areas[0].code;
  const pick = card();
  if (boot.surveys.length > 1) {
    const sel = el("select", { id: "survey" });
    for (const s of boot.surveys) {
      if (app.defs[s.id + "@" + s.version]) sel.append(el("option", { value: s.id, text: s.title, selected: s.id === app.survey.id }));
    }
    sel.onchange = () => { app.survey = boot.surveys.find((s) => s.id === sel.value); home(app); };
    pick.append(el("label", { text: "问卷" }, sel));
  } else {
    pick.append(el("p", { className: "title", text: app.survey.title + " · " + app.survey.round.name }));
  }
  const areaSel = el("select", { id: "area" });
  for (const a of boot.areas) {
    areaSel.append(el("option", { value: a.code, text: "　".repeat(a.depth) + a.name + "（" + a.kind_label + "）", selected: a.code === app.area }));
  }
  areaSel.onchange = async () => {
    app.area = areaSel.value;
    await db.put("kv", app.area, "area:" + app.me.username);
    home(app);
  };
  pick.append(el("label", { text: "区域" }, areaSel));

  const listed = boot.households[app.area] || [];
  // The example is written the way the area's own list writes door numbers.
  const key = el("input", { id: "key", placeholder: "门牌号，如 " + (listed.length ? listed[0].key : "3-2-501"), autocomplete: "off" });
  const go = el("button", { type: "button", id: "key-go", text: "录入" });
  const enter = () => { if (key.value.trim()) visit(app, key.value.trim()); };
  go.onclick = enter;
  key.onkeydown = (ev) => { if (ev.key === "Enter") enter(); };
  const list = el("ul", { className: "households", id: "households" });
  const homes = boot.households[app.area] || [];
  const outcomeOf = await app.outcomes();
  let done = 0;
  for (const h of homes) {
    const o = outcomeOf(app.area, h.key);
    if (o === "completed") done++;
    list.append(el("li", {}, el("button", { type: "button", className: "home " + o, "data-key": h.key, onclick: () => visit(app, h.key) },
      el("span", { text: h.key }), el("span", { className: "badge", text: outcomeLabels[o] || "未走访" }))));
  }
  show(app, pick, card(
    el("h2", { text: "住户" + (homes.length ? "（已完成 " + done + " / " + homes.length + " 户）" : "") }),
    el("div", { className: "free" }, key, go),
    homes.length ? list : el("p", { className: "muted", text: "该区域没有住户名单，请直接输入门牌号。" }),
  ), problemCard(app));
  if (focusKey) key.focus();
}

// visit shows one household: whether it is done already, and the outcomes to record.
async function visit(app, raw) {
  const key = householdKey(raw);
  if (!key) return;
  const o = (await app.outcomes())(app.area, key);
  const start = el("button", { type: "button", id: "start", className: "big", text: "开始问卷", disabled: o === "completed" });
  start.onclick = () => survey(app, key);
  const outcomes = el("div", { className: "outcomes" });
  for (const out of ["refused", "not_home", "revisit"]) {
    outcomes.append(el("button", { type: "button", className: "secondary", "data-outcome": out, text: outcomeLabels[out],
      disabled: o === "completed", onclick: () => record(app, key, out) }));
  }
  show(app, card(
    el("h2", { text: "住户 " + key }),
    el("p", { className: "muted", text: areaName(app, app.area) }),
    o === "completed" ? el("p", { className: "alert", id: "visit-warn", text: "该户本轮已完成问卷，不能重复录入。" }) : null,
    o && o !== "completed" ? el("p", { className: "notice", text: "本轮已记录：" + outcomeLabels[o] }) : null,
    start, outcomes,
    el("button", { type: "button", className: "plain", id: "back", text: "返回住户列表", onclick: () => home(app) }),
  ));
}

async function record(app, key, outcome) {
  const body = { client_id: uuid7(), survey: app.survey.id, area: app.area, household: key, outcome, visited_at: new Date().toISOString() };
  await queue.enqueue(app.me.username, "visit", body, areaName(app, app.area));
  app.say("已记录：" + key + " " + outcomeLabels[outcome], "ok");
  await app.refresh();
  if (navigator.onLine) app.syncNow();
  next(app, key);
}

// survey shows the questionnaire for a household, in 入户 mode.
function survey(app, key) {
  const def = app.defs[app.survey.id + "@" + app.survey.version];
  const started = new Date().toISOString();
  const body = el("div", { id: "survey" });
  const fieldsets = render(def, body);
  body.addEventListener("change", (ev) => {
    const answers = collect(fieldsets);
    const fs = ev.target.closest("fieldset.q");
    if (fs && fs.classList.contains("invalid")) showErrors([fs], { [fs.dataset.q]: check(fs, answers) });
  });
  const save = el("button", { type: "button", id: "save", className: "big", text: "保存本户问卷" });
  const alertBox = el("p", { className: "alert", hidden: true });
  save.onclick = async () => {
    const { answers, fields } = validate(fieldsets);
    const first = showErrors(fieldsets, fields);
    if (first) {
      alertBox.hidden = false;
      alertBox.textContent = "有 " + Object.keys(fields).length + " 道题未填写或填写有误，请检查标红的题目";
      first.scrollIntoView({ block: "center" });
      return;
    }
    save.disabled = true;
    const sub = { survey: app.survey.id, area: app.area, client_id: uuid7(), channel: "volunteer", household: key,
      answers, started_at: started, finished_at: new Date().toISOString() };
    try {
      await queue.enqueue(app.me.username, "response", sub, areaName(app, app.area));
    } catch (e) {
      save.disabled = false;
      alertBox.hidden = false;
      alertBox.textContent = "无法保存到本机（存储空间不足或浏览器禁止），答案仍在本页，请勿关闭页面，稍后再点“保存本户问卷”。";
      return;
    }
    await app.refresh();
    saved(app, key);
    if (navigator.onLine) app.syncNow();
  };
  show(app,
    card(el("h2", { text: "住户 " + key + " · 入户问卷" }), el("p", { className: "muted", text: areaName(app, app.area) + "。请按住户本人的回答如实选择。" })),
    body, alertBox, save,
    el("button", { type: "button", className: "plain", text: "放弃本户，返回列表", onclick: () => {
      if (confirm("放弃后本户已填的答案不会保存。确定放弃吗？")) home(app);
    } }));
}

function saved(app, key) {
  show(app, card(
    el("h2", { text: "已保存" }),
    el("p", { text: "住户 " + key + " 的问卷已保存，将自动同步。" }),
    el("button", { type: "button", id: "next", className: "big", text: "下一户", onclick: () => next(app, key) }),
    el("button", { type: "button", className: "plain", text: "返回住户列表", onclick: () => home(app) }),
  ));
}

// next goes to the first household after key in the list not visited yet; without a
// list, back to the field for the next door number.
async function next(app, key) {
  const homes = app.boot.households[app.area] || [];
  const at = homes.findIndex((h) => h.key === key);
  const outcomeOf = await app.outcomes();
  for (const h of [...homes.slice(at + 1), ...homes.slice(0, Math.max(at, 0))]) {
    if (!outcomeOf(app.area, h.key)) return visit(app, h.key);
  }
  return home(app, true);
}
