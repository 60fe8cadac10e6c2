// The staff pages of the problem-closure loop (/problems, /problems/{id}): raising a
// problem and taking its next step through the API, photos sent one by one before a
// rectification. Messages from the server go into the page as text only.

const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';

// A filter that submits its form when changed (no inline handlers: the
// Content-Security-Policy forbids them).
for (const el of document.querySelectorAll('[data-autosubmit]')) {
  el.addEventListener('change', () => el.form.submit());
}

async function send(url, body) {
  const init = { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  let reply = null;
  try {
    reply = await res.json();
  } catch {
    reply = null;
  }
  if (!res.ok) {
    const fields = reply && reply.fields ? Object.values(reply.fields) : [];
    throw new Error([(reply && reply.message) || `请求失败（${res.status}）`, ...fields].join('；'));
  }
  return reply;
}

// submitting runs a form's action, showing its failure in the form and keeping the
// button disabled meanwhile.
function submitting(form, action) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    const error = form.querySelector('[data-error]');
    error.textContent = '';
    button.disabled = true;
    try {
      await action(new FormData(form));
    } catch (e) {
      error.textContent = e.message;
      button.disabled = false;
    }
  });
}

async function uploadPhotos(id, files) {
  for (const file of files) {
    if (!file || !file.size) continue;
    const fd = new FormData();
    fd.append('file', file, file.name);
    await send(`/api/v1/problems/${id}/photos`, fd);
  }
}

const raise = document.getElementById('raise-form');
if (raise) {
  submitting(raise, async (fd) => {
    const reply = await send('/api/v1/problems', Object.fromEntries(fd));
    location.assign(`/problems/${reply.id}`);
  });
}

const page = document.getElementById('problem-page');
if (page) {
  const id = page.dataset.id;
  const steps = {
    assign: (fd) => send(`/api/v1/problems/${id}/assign`, Object.fromEntries(fd)),
    rectify: async (fd) => {
      await uploadPhotos(id, fd.getAll('photos'));
      return send(`/api/v1/problems/${id}/rectify`, { note: fd.get('note') });
    },
    close: (fd) => send(`/api/v1/problems/${id}/close`, {
      note: fd.get('note'),
      public_note: fd.get('public_note'),
      contacted: fd.get('contacted') === '1',
      satisfied: fd.get('satisfied') === '' ? null : fd.get('satisfied') === 'true',
    }),
    reopen: (fd) => send(`/api/v1/problems/${id}/reopen`, { reason: fd.get('reason') }),
    photos: (fd) => uploadPhotos(id, fd.getAll('photos')),
  };
  for (const form of page.querySelectorAll('form[data-step]')) {
    submitting(form, async (fd) => {
      await steps[form.dataset.step](fd);
      location.reload();
    });
  }
}
