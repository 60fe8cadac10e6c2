// The officials' dashboard: fetches the figures of the view shown (survey, area,
// round) from /api/v1/dashboard/* and draws them. Text from the server (area names,
// residents' suggestions) only ever goes into the page through textContent or
// escaped chart labels, never as HTML.

const root = document.getElementById('dashboard');
const view = {
  survey: root.dataset.survey,
  area: root.dataset.area,
  round: root.dataset.round,
  open: root.dataset.open === 'true',
  wall: root.dataset.wall === 'true',
};
const REFRESH_MS = 30000;
const charts = new Map();

// ---- helpers ----

function el(tag, props = {}, ...children) {
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

function clear(node, ...children) {
  node.replaceChildren(...children.filter((c) => c));
}

function pct(x, digits = 1) {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
}

function interval(r) {
  return r.ci_low === null || r.ci_low === undefined ? '—' : `${pct(r.ci_low)}–${pct(r.ci_high)}`;
}

// escapeHTML is for chart tooltips, which ECharts renders as HTML.
function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function query(extra = {}) {
  const p = new URLSearchParams({ survey: view.survey, area: view.area });
  if (view.round) p.set('round', view.round);
  for (const [k, v] of Object.entries(extra)) {
    if (v !== '' && v !== null && v !== undefined) p.set(k, v);
  }
  return p;
}

async function api(path, extra) {
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
async function load(sectionID, loader) {
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

function chart(id) {
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

function smallBadge() {
  return el('span', { className: 'small-sample', title: '有效答卷少于 30 份，仅供参考，不参与排名', text: '样本不足' });
}

function timeOf(iso) {
  return new Date(iso).toLocaleTimeString('zh-CN', { hour12: false });
}

function areaLink(area) {
  const p = new URLSearchParams({ survey: view.survey, area: area.code });
  if (view.round) p.set('round', view.round);
  if (view.wall) p.set('wall', '1');
  return `/dashboard?${p}`;
}

// ---- overview and channel split ----

function changeLine(f) {
  if (!f.change) return el('p', { className: 'change muted', text: f.previous ? '与上轮无可比数据' : '无上一轮数据' });
  const d = f.change.delta * 100;
  const arrow = d > 0 ? '↑' : d < 0 ? '↓' : '→';
  const sig = f.change.significant;
  return el('p', { className: `change ${d > 0 ? 'up' : d < 0 ? 'down' : ''}` },
    `${arrow} ${Math.abs(d).toFixed(1)} 个百分点 `,
    el('span', { className: sig ? 'sig' : 'nosig', title: `双比例 z 检验 p = ${f.change.p.toFixed(3)}`, text: sig ? '显著' : '不显著' }),
    el('span', { className: 'muted', text: ` 上轮 ${pct(f.previous.rate)}` }));
}

function card(f) {
  const below = f.meets_target === false;
  return el('div', { className: `figure-card${below ? ' below-target' : ''}`, 'data-indicator': f.id },
    el('h3', { text: f.name }),
    el('p', { className: 'rate', 'data-rate': f.rate ?? '', text: pct(f.rate) }),
    el('p', { className: 'n' }, `有效样本 n = `, el('span', { className: 'valid', text: f.valid }),
      f.small_sample ? smallBadge() : null),
    el('p', { className: 'ci muted' }, '95% 区间 ', el('span', { className: 'interval', text: interval(f) })),
    el('p', { className: 'target' }, f.target === null ? '未设目标' : `目标 ${pct(f.target, 0)} `,
      f.meets_target === null ? null : el('span', { className: below ? 'below' : 'meets', text: below ? '未达标' : '达标' })),
    changeLine(f));
}

function drawOverview(o) {
  clear(document.getElementById('overview-cards'), ...o.indicators.map(card));
  const parts = [`答卷 ${o.respondents} 份`];
  if (o.previous_respondents !== null) parts.push(`上一轮（${o.previous.name}）${o.previous_respondents} 份`);
  if (o.round) parts.push(`轮次：${o.round.name}${o.open ? '（进行中）' : ''}`);
  document.getElementById('overview-meta').textContent = parts.join(' · ');
  document.getElementById('updated').textContent = `最后更新 ${timeOf(o.updated_at)}`;
  view.open = o.open;
  const live = document.getElementById('live');
  if (live && !o.open) live.textContent = o.round ? '本轮已结束' : '尚无进行中的轮次';
  const table = document.getElementById('channel-table');
  if (!table) return;
  const head = el('tr', {}, el('th', { text: '渠道' }), el('th', { className: 'num', text: '答卷' }),
    ...o.indicators.map((f) => el('th', { className: 'num', text: f.name })));
  const rows = o.channels.map((ch, i) => el('tr', {},
    el('td', { text: ch.label }), el('td', { className: 'num', text: ch.respondents }),
    ...o.indicators.map((f) => figureCell(f.channels[i]))));
  clear(table, el('thead', {}, head), el('tbody', {}, ...rows));
}

// figureCell shows a rate with its n and interval in a table cell.
function figureCell(r, extra) {
  const td = el('td', { className: `num fig${r.meets_target === false ? ' under' : ''}` },
    el('span', { className: 'rate', text: pct(r.rate) }),
    r.small_sample ? smallBadge() : null,
    el('br'),
    el('span', { className: 'muted small', text: `n=${r.valid} · ${interval(r)}` }));
  if (extra) td.append(el('br'), extra);
  return td;
}

async function refreshOverview() {
  drawOverview(await api('overview'));
}

// ---- child areas and alerts ----

const childSort = { key: 'code', dir: 1 };
let childData = null;

function sortValue(row, key) {
  if (key === 'code') return row.area.code;
  if (key === 'respondents') return row.respondents;
  // Small samples are not ranked: they sort after the others, like undefined rates.
  const f = row.indicators.find((x) => x.id === key);
  return f && f.rate !== null && !f.small_sample ? f.rate : null;
}

function drawChildren() {
  const d = childData;
  const table = document.getElementById('children-table');
  const th = (key, label, num) => el('th', {
    className: `${num ? 'num ' : ''}sort`, 'data-key': key, scope: 'col',
    'aria-sort': childSort.key === key ? (childSort.dir > 0 ? 'ascending' : 'descending') : 'none',
    onclick: () => {
      childSort.dir = childSort.key === key ? -childSort.dir : (key === 'code' ? 1 : -1);
      childSort.key = key;
      drawChildren();
    },
  }, label);
  const head = el('tr', {}, th('code', '区域'), th('respondents', '答卷', true),
    ...d.indicators.map((ind) => th(ind.id, ind.name + (ind.target !== null ? `（目标 ${pct(ind.target, 0)}）` : ''), true)));
  const rows = [...d.rows].sort((a, b) => {
    const x = sortValue(a, childSort.key);
    const y = sortValue(b, childSort.key);
    if (x === null && y === null) return a.area.code.localeCompare(b.area.code);
    if (x === null) return 1; // unranked last, whichever the direction
    if (y === null) return -1;
    if (x < y) return -childSort.dir;
    if (x > y) return childSort.dir;
    return a.area.code.localeCompare(b.area.code);
  });
  const body = rows.length
    ? rows.map((row) => el('tr', { 'data-area': row.area.code },
      el('td', {}, el('a', { href: areaLink(row.area), className: 'drill', text: row.area.name })),
      el('td', { className: 'num', text: row.respondents }),
      ...row.indicators.map((f) => figureCell(f, f.headline
        ? el('span', { className: 'rank muted small', text: f.rank === null ? '不参与排名' : `第 ${f.rank} 名` })
        : null))))
    : [el('tr', {}, el('td', { colspan: d.indicators.length + 2, className: 'muted', text: '没有下级区域' }))];
  clear(table, el('thead', {}, head), el('tbody', {}, ...body));

  const list = document.getElementById('alert-list');
  clear(list, ...(d.alerts.length
    ? d.alerts.map((a) => el('li', { className: 'alert' },
      el('a', { href: areaLink(a.area), text: a.area.name }),
      ` · ${a.name}：本轮（${a.round}）第 ${a.rank}/${a.ranked} 名（${pct(a.rate)}），上轮（${a.previous_round}）第 ${a.previous_rank}/${a.previous_ranked} 名（${pct(a.previous_rate)}）`))
    : [el('li', { className: 'muted', text: d.previous ? '没有连续两轮排名后三位的区域' : '没有上一轮数据，无法比较' })]));
}

async function loadChildren() {
  childData = await api('children');
  drawChildren();
}

// ---- ranking chart ----

const ranking = { indicator: '', level: 'children', end: 'top', data: null };

function whisker(color) {
  return (params, api) => {
    const y = api.value(0);
    const lo = api.coord([api.value(1), y]);
    const hi = api.coord([api.value(2), y]);
    const h = api.size([0, 1])[1] * 0.18;
    const style = { stroke: color, lineWidth: 1.5 };
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
        { type: 'line', shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style },
        { type: 'line', shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style },
      ],
    };
  };
}

function drawRanking() {
  const d = ranking.data;
  const list = ranking.end === 'top' ? d.ranked.slice(0, 10) : d.ranked.slice(-10).reverse();
  const target = d.indicator.target;
  const ink = view.wall ? '#e6e6e6' : '#1f2328';
  const node = document.getElementById('ranking-chart');
  node.style.height = `${Math.max(160, list.length * (view.wall ? 52 : 34) + 70)}px`;
  const c = chart('ranking-chart');
  c.resize();
  const font = view.wall ? 18 : 12;
  c.setOption({
    backgroundColor: 'transparent',
    animation: !view.wall,
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const a = list[p.dataIndex];
        return `${escapeHTML(a.area.name)}<br>第 ${a.rank} 名 · ${pct(a.rate)}<br>95% 区间 ${interval(a)}<br>有效样本 ${a.valid}`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { fontSize: font, formatter: (v) => `${Math.round(v * 100)}%` } },
    yAxis: {
      type: 'category', inverse: true,
      data: list.map((a) => `${a.rank}. ${a.area.name}  ${pct(a.rate)}`),
      axisLabel: { color: ink, fontSize: font },
    },
    series: [
      {
        type: 'bar', name: d.indicator.name, barMaxWidth: view.wall ? 30 : 22,
        data: list.map((a) => ({ value: a.rate, itemStyle: { color: a.meets_target === false ? '#d9534f' : '#3b7dd8' } })),
        markLine: target === null ? undefined : {
          symbol: 'none', silent: true, lineStyle: { color: '#b4232c', type: 'dashed' },
          label: { position: 'start', formatter: `目标 ${pct(target, 0)}`, color: ink, fontSize: font }, data: [{ xAxis: target }],
        },
      },
      {
        type: 'custom', name: '95% 区间', renderItem: whisker(ink), z: 10, silent: true,
        encode: { x: [1, 2], y: 0 },
        data: list.map((a, i) => [i, a.ci_low, a.ci_high]),
      },
    ],
  }, true);
  const small = d.small.map((a) => a.area.name);
  document.getElementById('ranking-small').textContent = (d.ranked.length ? '' : '没有可排名的区域。')
    + (small.length ? `样本不足、不参与排名：${small.join('、')}` : '');
}

async function loadRanking() {
  ranking.data = await api('ranking', { indicator: ranking.indicator, level: ranking.level });
  drawRanking();
}

function setupRanking() {
  const ind = document.getElementById('ranking-indicator');
  const level = document.getElementById('ranking-level');
  ranking.indicator = ind.value;
  ind.addEventListener('change', () => { ranking.indicator = ind.value; load('ranking', loadRanking); });
  level.addEventListener('change', () => { ranking.level = level.value; load('ranking', loadRanking); });
  for (const end of ['top', 'bottom']) {
    document.getElementById(`ranking-${end}`).addEventListener('click', () => {
      ranking.end = end;
      for (const other of ['top', 'bottom']) {
        const b = document.getElementById(`ranking-${other}`);
        b.classList.toggle('on', other === end);
        b.setAttribute('aria-pressed', String(other === end));
      }
      if (ranking.data) drawRanking();
    });
  }
}

// ---- trends chart ----

const PALETTE = ['#b4232c', '#3b7dd8', '#2e9e5b', '#d98c1f', '#7a4fc0'];

async function loadTrends() {
  const by = document.getElementById('trends-by').value;
  const channel = document.getElementById('trends-channel').value;
  // Days and weeks within the round shown; months, quarters and rounds over every round.
  const d = await api('trends', { by, channel, round: by === 'day' || by === 'week' ? view.round : 'all' });
  const periods = d.indicators.length ? d.indicators[0].points.map((p) => p.period) : [];
  const series = [];
  d.indicators.forEach((ind, i) => {
    const color = PALETTE[i % PALETTE.length];
    const stack = `ci-${ind.id}`;
    series.push({ type: 'line', name: ind.name, color, connectNulls: false, symbolSize: 6,
      data: ind.points.map((p) => (p.rate === null ? '-' : p.rate)) });
    series.push({ type: 'line', name: `${ind.name}区间`, stack, symbol: 'none', silent: true, tooltip: { show: false },
      lineStyle: { opacity: 0 }, data: ind.points.map((p) => (p.ci_low === null ? '-' : p.ci_low)) });
    series.push({ type: 'line', name: `${ind.name}区间`, stack, symbol: 'none', silent: true, tooltip: { show: false },
      lineStyle: { opacity: 0 }, areaStyle: { color, opacity: 0.12 },
      data: ind.points.map((p) => (p.ci_low === null ? '-' : p.ci_high - p.ci_low)) });
  });
  const c = chart('trends-chart');
  c.setOption({
    backgroundColor: 'transparent',
    legend: { data: d.indicators.map((ind) => ind.name), top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        const i = items[0].dataIndex;
        const lines = [escapeHTML(periods[i])];
        for (const ind of d.indicators) {
          const p = ind.points[i];
          lines.push(`${escapeHTML(ind.name)}：${pct(p.rate)}（${interval(p)}，n=${p.valid}${p.small_sample ? '，样本不足' : ''}）`);
        }
        return lines.join('<br>');
      },
    },
    xAxis: { type: 'category', data: periods, boundaryGap: false },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    series,
  }, true);
  const node = document.getElementById('trends-chart');
  node.dataset.points = String(periods.length);
  if (!periods.length) node.setAttribute('aria-label', '该范围内暂无数据');
}

// ---- topics ----

async function loadTopics() {
  const d = await api('topics');
  const table = document.getElementById('topic-table');
  const head = el('tr', {}, el('th', { text: '指标' }), el('th', { className: 'num', text: '比率' }),
    el('th', { className: 'num', text: '“不了解”等占比' }), el('th', { className: 'num', text: '目标' }));
  const rows = d.indicators.map((f) => el('tr', { 'data-indicator': f.id },
    el('td', { text: f.name }),
    figureCell(f),
    el('td', { className: 'num', text: f.excluded_share === null ? '—' : `${pct(f.excluded_share)}（${f.excluded}/${f.answers}）` }),
    el('td', { className: 'num', text: f.target === null ? '—' : pct(f.target, 0) })));
  clear(table, el('thead', {}, head), el('tbody', {}, ...rows));

  const box = document.getElementById('distributions');
  clear(box, ...d.questions.map((q) => {
    const total = q.options.reduce((s, o) => s + o.count, 0);
    const base = q.type === 'single' ? total : d.respondents;
    return el('details', { className: 'distribution', 'data-question': q.id },
      el('summary', { text: `${q.text}${q.type === 'multi' ? '（多选）' : ''}` }),
      el('ul', {}, ...q.options.map((o) => {
        const share = base ? o.count / base : null;
        return el('li', {},
          el('span', { className: 'label', text: o.text }),
          el('span', { className: 'bar' }, el('span', { style: `width:${share === null ? 0 : Math.round(share * 100)}%` })),
          el('span', { className: 'num', text: `${o.count}（${pct(share)}）` }));
      })));
  }));

  const node = document.getElementById('checklist-chart');
  const list = d.checklist;
  if (!list) {
    clear(node, el('p', { className: 'muted', text: '问卷中没有多选问题' }));
    return;
  }
  node.style.height = `${Math.max(160, list.options.length * 28 + 50)}px`;
  const c = chart('checklist-chart');
  c.resize();
  c.setOption({
    backgroundColor: 'transparent',
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p) => `${escapeHTML(list.options[p.dataIndex].text)}：${p.value} 人` },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: list.options.map((o) => o.text) },
    series: [{ type: 'bar', barMaxWidth: 20, color: '#d98c1f', data: list.options.map((o) => o.count),
      label: { show: true, position: 'right' } }],
  }, true);
}

// ---- suggestions ----

const talk = { q: '', offset: 0, limit: 20 };

async function loadSuggestions() {
  const d = await api('suggestions', { q: talk.q, offset: talk.offset, limit: talk.limit });
  const list = document.getElementById('suggestion-list');
  clear(list, ...(d.items.length
    ? d.items.map((s) => el('li', { className: 'suggestion' },
      el('p', { className: 'text', text: s.text }),
      el('p', { className: 'meta muted small' },
        el('span', { text: s.area.name }), ' · ', el('span', { text: s.day }), ' · ', el('span', { text: s.channel_label }),
        s.phone ? ' · 回访电话 ' : null, s.phone ? el('span', { className: 'phone', text: s.phone }) : null)))
    : [el('li', { className: 'muted', text: talk.q ? '没有找到包含该关键词的意见建议' : '暂无意见建议' })]));
  document.getElementById('suggestion-page').textContent = `第 ${Math.floor(talk.offset / talk.limit) + 1} 页`;
  document.getElementById('suggestion-prev').disabled = talk.offset === 0;
  document.getElementById('suggestion-next').disabled = !d.more;
}

function setupSuggestions() {
  document.getElementById('suggestion-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    talk.q = document.getElementById('suggestion-q').value.trim();
    talk.offset = 0;
    load('suggestions', loadSuggestions);
  });
  document.getElementById('suggestion-prev').addEventListener('click', () => {
    talk.offset = Math.max(0, talk.offset - talk.limit);
    load('suggestions', loadSuggestions);
  });
  document.getElementById('suggestion-next').addEventListener('click', () => {
    talk.offset += talk.limit;
    load('suggestions', loadSuggestions);
  });
}

// ---- coverage ----

async function loadCoverage() {
  const d = await api('coverage');
  const rounds = d.rounds_this_month.map((r) => r.name);
  document.getElementById('coverage-rounds').textContent =
    `${d.month} 本月开展的轮次：${rounds.length ? rounds.join('、') : '无'}（共 ${rounds.length} 轮）`;
  const row = (r, total) => el('tr', total ? { className: 'total' } : { 'data-area': r.area.code },
    el('td', {}, total ? '合计' : el('a', { href: areaLink(r.area), text: r.area.name })),
    el('td', { className: 'num', text: r.households ?? '—' }),
    el('td', { className: 'num', text: r.respondents }),
    el('td', { className: 'num', text: r.per_100_households === null ? '—' : r.per_100_households.toFixed(1) }));
  clear(document.getElementById('coverage-table'),
    el('thead', {}, el('tr', {}, el('th', { text: '社区(村)' }), el('th', { className: 'num', text: '户数' }),
      el('th', { className: 'num', text: '本轮答卷' }), el('th', { className: 'num', text: '每百户答卷' }))),
    el('tbody', {}, ...(d.rows.length ? d.rows.map((r) => row(r, false))
      : [el('tr', {}, el('td', { colspan: 4, className: 'muted', text: '该区域下没有社区(村)' }))])),
    el('tfoot', {}, row(d.total, true)));
}

// ---- start ----

function setupControls() {
  const form = document.getElementById('view-form');
  for (const id of ['round-select', 'survey-select']) {
    const sel = document.getElementById(id);
    if (!sel) continue;
    sel.addEventListener('change', () => {
      if (id === 'survey-select') form.querySelector('#round-select').disabled = true; // the other survey's default round
      form.requestSubmit();
    });
  }
  for (const id of ['trends-by', 'trends-channel']) {
    const sel = document.getElementById(id);
    if (sel) sel.addEventListener('change', () => load('trends', loadTrends));
  }
}

function start() {
  if (!view.survey) return;
  if (view.wall) document.body.classList.add('wall');
  setupControls();
  setupRanking();
  const tasks = [load('overview', refreshOverview), load('ranking', loadRanking)];
  if (!view.wall) {
    setupSuggestions();
    tasks.push(load('children', loadChildren), load('trends', loadTrends), load('topics', loadTopics),
      load('suggestions', loadSuggestions), load('coverage', loadCoverage));
  }
  Promise.all(tasks).then(() => root.setAttribute('data-loaded', 'true'));
  // While a round is open the overview follows it; a wall screen follows the ranking too.
  setInterval(() => {
    if (document.hidden) return;
    if (view.open || view.wall) load('overview', refreshOverview);
    if (view.wall) load('ranking', loadRanking);
  }, REFRESH_MS);
}

start();
