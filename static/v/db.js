// IndexedDB for the volunteers' app: the queue of entries not yet synced, the
// entries already synced, and what the app keeps to work offline (who is signed in,
// the bootstrap, survey definitions, the last sync time).

const NAME = "minyi-v";
const VERSION = 1;
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore("queue", { keyPath: "id" });
        db.createObjectStore("sent", { keyPath: "id" });
        db.createObjectStore("kv");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opening;
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function store(name, mode) {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

// get returns the value under key, or undefined.
export async function get(name, key) {
  return done((await store(name, "readonly")).get(key));
}

// all returns every value of a store, in key order.
export async function all(name) {
  return done((await store(name, "readonly")).getAll());
}

// put stores value, under key for stores without a key path.
export async function put(name, value, key) {
  const s = await store(name, "readwrite");
  return done(key === undefined ? s.put(value) : s.put(value, key));
}

// del removes the value under key.
export async function del(name, key) {
  return done((await store(name, "readwrite")).delete(key));
}

// move takes an entry out of the queue and files it among the sent ones, in one
// transaction, so that an entry is never in both or in neither.
export async function move(entry) {
  const db = await open();
  const tx = db.transaction(["queue", "sent"], "readwrite");
  tx.objectStore("queue").delete(entry.id);
  tx.objectStore("sent").put(entry);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
