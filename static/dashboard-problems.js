// The dashboard's problem section: the problem figures per child area (overdue
// highlighted), the checklist categories that stand out, and raising a problem from
// one of them or from a resident's suggestion (a button added to each suggestion).
// Text from the server goes into the page as text only.

import { el, clear, load, view } from './dashboard-common.js';

const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';

// share prints a/b with one decimal, rounded half up on the exact fraction.
function share(a, b) {
  if (!b) return '—';
  const tenths = Math.floor((2000 * a + b) / (2 * b));
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error((body && body.message) || `请求失败（${res.status}）`);
  return body;
}

function statRow(r, total) {
  const name = total ? '合计' : r.area.name;
  return el('tr', total ? { className: 'total' } : { 'data-area': r.area.code },
    el('td', { text: name }),
    el('td', { className: 'num', text: r.total }),
    el('td', { className: 'num', text: r.closed }),
    el('td', { className: 'num closure', text: share(r.closed, r.total) }),
    el('td', { className: 'num', text: share(r.on_time, r.on_time_base) }),
    el('td', { className: `num overdue${r.overdue > 0 ? ' overdue-cell' : ''}`, text: r.overdue }),
    el('td', { className: 'num', text: r.median_days === null ? '—' : r.median_days.toFixed(1) }),
    el('td', { className: 'num', text: r.contacted }),
    el('td', { className: 'num', text: share(r.satisfied, r.satisfied_base) }));
}

async function loadProblemStats() {
  const d = await getJSON(`/api/v1/problems/stats?${new URLSearchParams({ area: view.area })}`);
  const head = el('tr', {}, ...['区域', '问题数', '已办结', '办结率', '按期办结率', '逾期', '办结用时中位数（天）', '已回访', '群众满意率']
    .map((t, i) => el('th', { className: i ? 'num' : '', text: t })));
  clear(document.getElementById('problem-stats'), el('thead', {}, head),
    el('tbody', {}, ...(d.rows.length ? d.rows.map((r) => statRow(r, false))
      : [el('tr', {}, el('td', { colspan: 9, className: 'muted', text: '没有下级区域' }))])),
    el('tfoot', {}, statRow(d.total, true)));
}

async function loadStandouts() {
  const p = new URLSearchParams({ survey: view.survey, area: view.area });
  if (view.round) p.set('round', view.round);
  const d = await getJSON(`/api/v1/problems/standouts?${p}`);
  clear(document.getElementById('standout-list'), ...(d.standouts.length
    ? d.standouts.map((s) => el('li', { 'data-area': s.area.code, 'data-option': s.option },
      el('span', { text: s.evidence }), ' ',
      el('button', { type: 'button', className: 'secondary raise-problem', text: '立为问题',
        onclick: () => openDialog({ area: s.area.code, areaName: s.area.name, source: 'checklist', category: s.category,
          evidence: s.evidence, description: `${s.area.name}群众反映“${s.category}”问题较为突出，请核查整改。` }) })))
    : [el('li', { className: 'muted', text: '本轮没有明显高于同级的问题类别' })]));
}

// ---- raising a problem ----

let categories = null;

async function categoryList() {
  if (!categories) {
    const def = await getJSON(`/api/v1/surveys/${encodeURIComponent(view.survey)}`);
    const q = def.questions.find((x) => x.type === 'multi');
    categories = q ? q.options.map((o) => o.text) : [];
    if (!categories.includes('其他')) categories.push('其他');
  }
  return categories;
}

async function openDialog(p) {
  const dialog = document.getElementById('problem-dialog');
  const form = document.getElementById('problem-form');
  form.reset();
  for (const k of ['area', 'source', 'evidence']) form.elements[k].value = p[k] || '';
  form.elements.response_id.value = p.response || '';
  form.elements.description.value = p.description;
  const cats = await categoryList();
  clear(form.elements.category, ...cats.map((c) => el('option', { value: c, text: c })));
  form.elements.category.value = cats.includes(p.category) ? p.category : '其他';
  document.getElementById('problem-form-where').textContent = `区域：${p.areaName}`;
  form.querySelector('[data-error]').textContent = '';
  document.getElementById('problem-created').hidden = true;
  document.getElementById('problem-submit').disabled = false;
  dialog.showModal();
}

function setupDialog() {
  const form = document.getElementById('problem-form');
  document.getElementById('problem-cancel').addEventListener('click', () => document.getElementById('problem-dialog').close());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = document.getElementById('problem-submit');
    button.disabled = true;
    const body = Object.fromEntries(new FormData(form));
    if (!body.response_id) delete body.response_id;
    const res = await fetch('/api/v1/problems', {
      method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
    });
    const reply = await res.json().catch(() => null);
    if (!res.ok) {
      const fields = reply && reply.fields ? Object.values(reply.fields) : [];
      form.querySelector('[data-error]').textContent = [(reply && reply.message) || `请求失败（${res.status}）`, ...fields].join('；');
      button.disabled = false;
      return;
    }
    const done = document.getElementById('problem-created');
    clear(done, `已登记为问题 #${reply.id}，`, el('a', { href: `/problems/${reply.id}`, id: 'problem-created-link', text: '去交办' }));
    done.hidden = false;
    load('problems', loadProblemStats);
  });
}

// Each suggestion gets a button that raises a problem from it, its text prefilled. A
// resident's own answer is linked by its response id; a door-to-door one carries none
// (its id would date the visit), and its problem is raised without the link.
function watchSuggestions() {
  const list = document.getElementById('suggestion-list');
  if (!list) return;
  const decorate = () => {
    for (const li of list.querySelectorAll('li.suggestion:not([data-raise])')) {
      li.setAttribute('data-raise', '');
      const text = li.querySelector('.text')?.textContent || '';
      li.querySelector('.meta')?.append(' ', el('button', { type: 'button', className: 'secondary raise-problem', text: '立为问题',
        onclick: () => openDialog({ area: li.dataset.area, areaName: li.dataset.areaName, source: 'suggestion',
          response: li.dataset.response, description: text }) }));
    }
  };
  new MutationObserver(decorate).observe(list, { childList: true });
  decorate();
}

if (view.survey && document.getElementById('problems')) {
  setupDialog();
  watchSuggestions();
  Promise.all([load('problems', loadProblemStats), load('problems', loadStandouts)])
    .then(() => document.getElementById('problems').setAttribute('data-loaded', 'true'));
}
