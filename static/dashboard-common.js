// Shared parts of the officials' dashboard: the view shown, DOM and number helpers,
// the API client and chart instances. Text from the server only ever goes into the
// page through textContent or escaped chart labels, never as HTML.

export const root = document.getElementById('dashboard');
export const view = {
  survey: root.dataset.survey,
  area: root.dataset.area,
  round: root.dataset.round,
  open: root.dataset.open === 'true',
  wall: root.dataset.wall === 'true',
  weight: 'none', // none or households: the figures' view, named in every reply
  respondent: 'all', // all or resident
};
export const REFRESH_MS = 30000;
export const charts = new Map();

// ---- helpers ----

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'className') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.filter((c) => c));
}

// tenths rounds a rate (0.8125) to tenths of a percent (813) half up on its shortest
// decimal, as the server does (stats.TenthsOf): String(x) is the shortest decimal
// that reads back as x, so no binary float is rounded, and 0.8125 never prints 81.2%.
export function tenths(x) {
  let [mant, exp = '0'] = String(Math.abs(x)).toLowerCase().split('e');
  const [int, frac = ''] = mant.split('.');
  let digits = int + frac;
  let point = int.length + Number(exp) + 3; // × 1000
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = Number(digits.slice(0, point)) + ((digits[point] || '0') >= '5' ? 1 : 0);
  return x < 0 ? -whole : whole;
}

// pct prints a rate that is not a fraction of counts (a target, a funnel limit) by
// the one rounding rule; figures carry their own printed rate_text.
export function pct(x, digits = 1) {
  if (x === null || x === undefined) return '—';
  const t = tenths(x);
  if (digits === 0) return `${Math.floor((t + 5) / 10)}%`;
  return `${t < 0 ? '-' : ''}${Math.floor(Math.abs(t) / 10)}.${Math.abs(t) % 10}%`;
}

// rateText is a figure's rate as the server printed it.
export function rateText(r) {
  return r.rate_text ?? pct(r.rate);
}

export function interval(r) {
  if (r.ci_low === null || r.ci_low === undefined) return '—';
  return `${r.ci_low_text ?? pct(r.ci_low)}–${r.ci_high_text ?? pct(r.ci_high)}`;
}

// STATUS names a figure's standing against its target.
export const STATUS = { met: '达标', not_met: '未达标', uncertain: '与目标无显著差异' };

// escapeHTML is for chart tooltips, which ECharts renders as HTML.
export function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export function query(extra = {}) {
  const p = new URLSearchParams({ survey: view.survey, area: view.area });
  if (view.round) p.set('round', view.round);
  if (view.weight !== 'none') p.set('weight', view.weight);
  if (view.respondent !== 'all') p.set('respondent', view.respondent);
  for (const [k, v] of Object.entries(extra)) {
    if (v !== '' && v !== null && v !== undefined) p.set(k, v);
  }
  return p;
}

export async function api(path, extra) {
  const res = await fetch(`/api/v1/dashboard/${path}?${query(extra)}`, {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    if (res.status === 401) window.location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new Error((body && body.message) || `请求失败（${res.status}）`);
  }
  return body;
}

// load runs a section's loader and shows a failure in the section instead of the console.
export async function load(sectionID, loader) {
  const section = document.getElementById(sectionID);
  if (!section) return;
  const old = section.querySelector(':scope > .load-error');
  try {
    await loader();
    if (old) old.remove();
  } catch (err) {
    const msg = el('p', { className: 'alert load-error', role: 'alert', text: `数据加载失败：${err.message}` });
    if (old) old.replaceWith(msg);
    else section.append(msg);
  }
}

// rateAxis is a rate axis that fits the figures shown: from 0 when they spread wide,
// from a round 5% step below the lowest when they are all high, so that differences
// between 92% and 98% can be seen; always up to 100%.
export function rateAxis(values, extra = {}) {
  const known = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  const lowest = known.length ? Math.min(...known) : 0;
  const min = lowest >= 0.5 ? Math.floor((lowest - 0.02) * 20) / 20 : 0;
  return { type: 'value', min: Math.max(0, min), max: 1, scale: true, ...extra,
    axisLabel: { formatter: (v) => `${Math.round(v * 100)}%`, ...(extra.axisLabel || {}) } };
}

// ranks gives each area its place by the rate as printed: areas whose printed rates
// are equal share a place (1, 2, 2, 4), and say 并列.
export function ranks(list) {
  const out = [];
  list.forEach((a, i) => {
    const same = i > 0 && pct(list[i - 1].rate) === pct(a.rate);
    out.push(same ? out[i - 1] : { place: i + 1, tie: false });
    if (same) out[i - 1].tie = true;
  });
  return out.map((r) => ({ place: r.place, tie: r.tie }));
}

export function chart(id) {
  let c = charts.get(id);
  if (!c) {
    const node = document.getElementById(id);
    c = echarts.init(node, view.wall ? 'dark' : null, { renderer: 'canvas' });
    charts.set(id, c);
  }
  return c;
}

window.addEventListener('resize', () => {
  for (const c of charts.values()) c.resize();
});

export function smallBadge() {
  return el('span', { className: 'small-sample', title: '有效答卷少于 30 份，仅供参考，不参与排名', text: '样本不足' });
}

export function timeOf(iso) {
  return new Date(iso).toLocaleTimeString('zh-CN', { hour12: false });
}

// countingNote says how current a reply's figures are: 数据截至 the last count, and how
// many responses are still being counted, when any are.
export function countingNote(reply) {
  const parts = [];
  if (reply.as_of) parts.push(`数据截至 ${timeOf(reply.as_of)}`);
  if (reply.uncounted > 0) parts.push(`另有 ${reply.uncounted} 份正在统计`);
  return parts.join('，');
}

export function areaLink(area) {
  const p = new URLSearchParams({ survey: view.survey, area: area.code });
  if (view.round) p.set('round', view.round);
  if (view.wall) p.set('wall', '1');
  return `/dashboard?${p}`;
}
