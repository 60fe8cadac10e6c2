// The volunteers' app (入户调查): pick an area and a household, record the outcome of
// the visit, enter the household's answers, next household. Everything entered waits
// in the queue (queue.js) and is sent when the network allows: by itself when the
// phone comes back online and every little while, or when the volunteer taps 同步.
// Signed-in state, the bootstrap and the survey definitions are kept in IndexedDB so
// that the app opens and works offline; the service worker (sw.js) keeps its files.

import * as db from "./db.js";
import * as queue from "./queue.js";
import { el } from "./survey.js";
import { home } from "./views.js";

const $ = (id) => document.getElementById(id);
const retryEvery = 20000;

const app = {
  me: null, // {username, display_name, role, csrf}
  boot: null, // the bootstrap of /api/v1/volunteer/bootstrap
  defs: {}, // "survey@version" → definition
  survey: null, // the bootstrap survey entered
  area: "", // code of the area entered
  view: $("view"),
  say,
  refresh,
  syncNow,
  outcomes,
};

function say(msg, kind) {
  const p = $("sync-msg");
  p.textContent = msg || "";
  p.className = "sync-msg" + (kind ? " " + kind : "");
}

async function getJSON(url) {
  try {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return { res, body: await res.json().catch(() => ({})) };
  } catch (e) {
    return { res: null, body: {} };
  }
}

// loadMe asks who is signed in; offline, it is whoever was last. A session that ended
// sends the volunteer to sign in again: the queue stays on the phone meanwhile.
async function loadMe() {
  const { res, body } = await getJSON("/api/v1/me");
  if (res && res.ok) {
    await db.put("kv", body, "me");
    return body;
  }
  if (res && res.status === 401) {
    location.assign("/login?next=/v/");
    return null;
  }
  return db.get("kv", "me");
}

async function loadBoot() {
  const key = "boot:" + app.me.username;
  const { res, body } = await getJSON("/api/v1/volunteer/bootstrap");
  if (res && res.ok) {
    await db.put("kv", body, key);
    return body;
  }
  return db.get("kv", key);
}

async function loadDefs() {
  for (const s of app.boot.surveys) {
    const key = s.id + "@" + s.version;
    let def = await db.get("kv", "def:" + key);
    if (!def) {
      const { res, body } = await getJSON(s.definition);
      if (res && res.ok) {
        def = body;
        await db.put("kv", def, "def:" + key);
      }
    }
    if (def) app.defs[key] = def;
  }
}

// freshCSRF asks the server for the session's CSRF token again.
async function freshCSRF() {
  const { res, body } = await getJSON("/api/v1/me");
  if (res && res.ok) {
    app.me = body;
    await db.put("kv", body, "me");
  }
  return app.me.csrf;
}

// outcomeMap says where the households this phone entered stand in the current round
// (completed wins over any other outcome).
async function outcomeMap() {
  const out = {};
  const mine = [...(await queue.sent(app.me.username)), ...(await queue.entries(app.me.username))];
  for (const e of mine) {
    const b = e.body;
    if (!b.household || b.survey !== app.survey.id || e.state === "refused") continue;
    const k = b.area + "\x00" + b.household;
    const o = e.kind === "response" ? "completed" : b.outcome;
    if (out[k] !== "completed") out[k] = o;
  }
  return out;
}

// outcomes looks at the queue once and returns a lookup of where a household stands.
async function outcomes() {
  const local = await outcomeMap();
  const server = app.boot.outcomes[app.survey.id] || {};
  return (area, key) => {
    const mine = local[area + "\x00" + key];
    if (mine === "completed") return mine;
    const known = (server[area] || {})[key];
    return known === "completed" ? known : mine || known || "";
  };
}

const labels = { response: "问卷", refused: "拒访", not_home: "不在家", revisit: "需回访" };

// refresh shows the queue, the pending count and the last sync time.
async function refresh() {
  const user = app.me.username;
  const list = await queue.entries(user);
  $("pending").textContent = list.length;
  const last = await db.get("kv", "lastSync:" + user);
  $("last-sync").textContent = last
    ? new Date(last).toLocaleString("zh-CN", { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false })
    : "从未";
  $("net").textContent = navigator.onLine ? "在线" : "离线";
  $("net").className = "net " + (navigator.onLine ? "on" : "off");
  const ul = $("queue");
  ul.textContent = "";
  for (const e of list) {
    const b = e.body;
    const what = e.kind === "response" ? labels.response : labels[b.outcome] || b.outcome;
    const li = el("li", { className: e.state, "data-id": e.id },
      el("span", { className: "what", text: (e.label || b.area) + " · " + (b.household || "（无门牌）") + " · " + what }),
      el("span", { className: "state", text: e.state === "refused" ? "未通过：" + e.reason : "等待同步" }));
    if (e.state === "refused") {
      li.append(
        el("button", { type: "button", className: "plain", text: "重试", onclick: async () => { await queue.retry(e.id); syncNow(); } }),
        el("button", { type: "button", className: "plain danger", text: "放弃", onclick: async () => {
          if (confirm("放弃后这条记录将被删除，不会上报。确定放弃吗？")) { await queue.discard(e.id); refresh(); }
        } }));
    }
    ul.append(li);
  }
  const n = await queue.others(user);
  $("queue-empty").hidden = list.length > 0;
  $("queue-empty").textContent = n ? "没有待同步的记录（本机另有其他账号的 " + n + " 条记录，需其本人登录后同步）。" : "没有待同步的记录。";
}

// syncNow sends the queue and says how it went.
async function syncNow() {
  if (!app.me) return;
  say("正在同步…");
  const r = await queue.sync(app.me.username, app.me.csrf, freshCSRF);
  const msgs = {
    offline: ["网络不可用，记录已保存在本机，联网后将自动同步", "warn"],
    login: ["登录已过期，请重新登录后同步（记录仍保存在本机）", "warn"],
    busy: ["服务器繁忙，稍后将自动重试", "warn"],
  };
  if (r.stop) say(...msgs[r.stop]);
  else if (r.refused) say(r.refused + " 条记录未通过，请查看下方原因", "warn");
  else say(r.sent ? "已同步 " + r.sent + " 条" : "", "ok");
  if (r.stop === "login") $("sync-msg").append(" ", el("a", { href: "/login?next=/v/", text: "去登录" }));
  if (r.sent) {
    const boot = await loadBoot();
    if (boot) app.boot = boot;
  }
  await refresh();
  return r;
}

function logout() {
  queue.entries(app.me.username).then((list) => {
    if (!navigator.onLine) {
      alert("离线时无法退出，请联网后再试。");
      return;
    }
    if (list.length && !confirm("还有 " + list.length + " 条记录未同步。退出后记录仍保存在本机，重新登录后才能同步。确定退出吗？")) return;
    const f = $("logout-form");
    f.elements._csrf.value = app.me.csrf;
    f.submit();
  });
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/v/sw.js", { scope: "/v/" }).catch(() => {});
  }
  app.me = await loadMe();
  if (!app.me) {
    app.view.textContent = "";
    app.view.append(el("p", { className: "alert", text: "请联网后登录，首次使用需要联网。" }));
    return;
  }
  $("who").textContent = app.me.display_name || app.me.username;
  $("logout").onclick = logout;
  $("sync").onclick = syncNow;
  app.boot = await loadBoot();
  if (!app.boot) {
    app.view.textContent = "";
    app.view.append(el("p", { className: "alert", text: "尚未下载分派区域和问卷，请联网后刷新。" }));
    await refresh();
    return;
  }
  await loadDefs();
  app.survey = app.boot.surveys.find((s) => app.defs[s.id + "@" + s.version]) || null;
  app.area = (await db.get("kv", "area:" + app.me.username)) || "";
  await home(app);
  await refresh();
  window.addEventListener("online", () => { refresh(); syncNow(); });
  window.addEventListener("offline", () => { refresh(); say("网络已断开，记录将保存在本机", "warn"); });
  setInterval(async () => {
    if (navigator.onLine && (await queue.entries(app.me.username)).some((e) => e.state === "pending")) syncNow();
  }, retryEvery);
  if (navigator.onLine) syncNow();
}

start();
