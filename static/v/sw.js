// The service worker of the volunteers' app, served at /v/sw.js so that it controls
// the pages under /v/. It keeps the app's shell, scripts and styles, and the survey
// definitions the app asks for, so that the app opens without a network. Answers are
// never sent through it: the app's queue (queue.js) sends them, and the server takes
// a resend as a replay. __VERSION__ is the app's version, set by the server.

const VERSION = "__VERSION__";
const CACHE = "minyi-v-" + VERSION;
const SHELL = [
  "/v/",
  "/v/manifest.webmanifest",
  "/static/answers.js",
  "/static/form.css",
  "/static/v/app.css",
  "/static/v/app.js",
  "/static/v/db.js",
  "/static/v/queue.js",
  "/static/v/survey.js",
  "/static/v/views.js",
  "/static/v/problem.js",
  "/static/v/icon-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of SHELL) {
      const res = await fetch(url, { cache: "reload", credentials: "same-origin" });
      if (!res.ok || res.redirected) throw new Error("precache " + url + ": " + res.status);
      await cache.put(url, res);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("minyi-v-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// fromNetwork fetches, keeping a good answer in the cache under key.
async function fromNetwork(request, key) {
  const res = await fetch(request);
  if (res.ok && !res.redirected && res.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(key, res.clone());
  }
  return res;
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.mode === "navigate" && (url.pathname === "/v/" || url.pathname === "/v")) {
    // The shell: from the network when there is one (it may send the volunteer to
    // sign in), else as kept.
    event.respondWith(fromNetwork(req, "/v/").catch(async () => (await caches.match("/v/")) || Response.error()));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname === "/v/manifest.webmanifest") {
    // Files of this version as kept; those of another version (a shell newer than
    // this worker) from the network.
    const v = url.searchParams.get("v");
    if (v && v !== VERSION) return;
    event.respondWith((async () => (await caches.match(url.pathname, { ignoreSearch: true })) || fromNetwork(req, url.pathname))());
    return;
  }
  if (url.pathname.startsWith("/api/v1/volunteer/surveys/")) {
    // A survey version never changes: as kept, else fetched and kept.
    event.respondWith((async () => (await caches.match(req)) || fromNetwork(req, req))());
  }
});
