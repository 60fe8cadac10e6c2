// A resident's answers kept on the phone until they are sent: WeChat's browser reloads
// a page when the resident switches apps, and the answers must survive that. The draft
// lives in localStorage under one key per survey and area, and is dropped once the
// form is sent or when it is a week old.

const maxAge = 7 * 24 * 3600 * 1000;

function read(key) {
  try {
    const d = JSON.parse(localStorage.getItem(key) || "null");
    if (d && d.values && Date.now() - d.saved < maxAge) return d.values;
    localStorage.removeItem(key);
  } catch (e) { /* private mode or a damaged draft: start afresh */ }
  return null;
}

// saveDraft stores what every question's inputs hold, shown or not.
export function saveDraft(key, fieldsets) {
  const values = {};
  for (const fs of fieldsets) {
    const got = [...fs.querySelectorAll("input, textarea")]
      .filter((e) => (e.type === "radio" || e.type === "checkbox" ? e.checked : e.value !== ""))
      .map((e) => e.value);
    if (got.length) values[fs.dataset.q] = got;
  }
  try {
    localStorage.setItem(key, JSON.stringify({ saved: Date.now(), values }));
  } catch (e) { /* full or private mode: the page still works without a draft */ }
}

// restoreDraft fills the questions from the saved draft, unless the page already holds
// answers (the server's page after a failed submission, or the browser's own restore).
// It reports whether it filled anything; the caller re-runs show_if.
export function restoreDraft(key, fieldsets) {
  const inputs = fieldsets.flatMap((fs) => [...fs.querySelectorAll("input, textarea")]);
  if (inputs.some((e) => (e.type === "radio" || e.type === "checkbox" ? e.checked : e.value !== ""))) return false;
  const values = read(key);
  if (!values) return false;
  let filled = false;
  for (const fs of fieldsets) {
    const want = values[fs.dataset.q];
    if (!Array.isArray(want)) continue;
    for (const e of fs.querySelectorAll("input, textarea")) {
      if (e.type === "radio" || e.type === "checkbox") e.checked = want.includes(e.value);
      else e.value = String(want[0]);
      filled = true;
    }
  }
  return filled;
}

// clearDraft forgets the draft once the form has been sent.
export function clearDraft(key) {
  try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
}
