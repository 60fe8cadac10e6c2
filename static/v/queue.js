// The queue of entries made on this phone: each waits in IndexedDB, under the client
// id (UUID v7) it is sent with and a hash of its content, until the server accepts it.
// The server takes a resend of an entry it has as a replay, so sending twice is safe.
// An entry the server refuses stays in the queue with the reason; only the volunteer
// can discard it.

import * as db from "./db.js";
import { digest, post } from "./survey.js";

const urls = { response: "/api/v1/responses", visit: "/api/v1/visits" };
const keepSent = 500;

// entries returns the queued entries of a user, oldest first.
export async function entries(user) {
  return (await db.all("queue")).filter((e) => e.user === user);
}

// others counts the queued entries of other accounts signed in on this phone before.
export async function others(user) {
  return (await db.all("queue")).filter((e) => e.user !== user).length;
}

// enqueue files a new entry: kind is "response" or "visit", body what is sent.
export async function enqueue(user, kind, body, label) {
  const entry = {
    id: body.client_id, user, kind, body, label,
    hash: await digest(JSON.stringify(body)),
    created: new Date().toISOString(),
    state: "pending", code: "", reason: "",
  };
  await db.put("queue", entry);
  return entry;
}

// discard removes an entry the volunteer chose to give up.
export async function discard(id) {
  return db.del("queue", id);
}

// retry puts a refused entry back among those to send.
export async function retry(id) {
  const e = await db.get("queue", id);
  if (e) {
    e.state = "pending";
    e.code = e.reason = "";
    await db.put("queue", e);
  }
}

let running = null;

// sync sends the user's pending entries one by one, oldest first, and returns how
// many were accepted and refused, and why it stopped early: "offline" (no network),
// "login" (the session ended), "busy" (the server asked to wait), or "" when done.
// freshCSRF is called once if the server says the CSRF token is stale.
export function sync(user, csrf, freshCSRF) {
  if (!running) {
    running = run(user, csrf, freshCSRF).finally(() => (running = null));
  }
  return running;
}

async function run(user, csrf, freshCSRF) {
  const out = { sent: 0, refused: 0, stop: "" };
  for (const entry of await entries(user)) {
    if (entry.state !== "pending") continue;
    let { res, body } = await post(urls[entry.kind], entry.body, csrf);
    if (res && res.status === 403 && body.error === "csrf" && freshCSRF) {
      csrf = await freshCSRF();
      ({ res, body } = await post(urls[entry.kind], entry.body, csrf));
    }
    if (!res) return { ...out, stop: "offline" };
    if (res.ok) {
      entry.state = "sent";
      entry.sent = new Date().toISOString();
      entry.replayed = !!body.replayed;
      await db.move(entry);
      out.sent++;
      continue;
    }
    if (res.status === 401) return { ...out, stop: "login" };
    if (res.status === 429 || res.status >= 500) return { ...out, stop: "busy" };
    entry.state = "refused";
    entry.code = body.error || String(res.status);
    entry.reason = body.message || "服务器未接受（" + res.status + "）";
    if (body.fields) entry.reason += "：" + Object.entries(body.fields).map(([k, v]) => k + " " + v).join("；");
    await db.put("queue", entry);
    out.refused++;
  }
  await db.put("kv", new Date().toISOString(), "lastSync:" + user);
  await trimSent();
  return out;
}

// sent returns the entries the server accepted, oldest first.
export async function sent(user) {
  return (await db.all("sent")).filter((e) => e.user === user);
}

async function trimSent() {
  const list = await db.all("sent");
  for (const e of list.slice(0, Math.max(0, list.length - keepSent))) await db.del("sent", e.id);
}
