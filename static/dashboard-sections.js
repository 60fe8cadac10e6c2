// The dashboard's tables and lists: overview and channel split, child areas and
// alerts, topics, suggestions and coverage.

import { el, clear, pct, interval, escapeHTML, api, load, chart, smallBadge, timeOf, countingNote, areaLink, view } from './dashboard-common.js';

// ---- overview and channel split ----

export function changeLine(f) {
  if (!f.change) return el('p', { className: 'change muted', text: f.previous ? '与上轮无可比数据' : '无上一轮数据' });
  const d = f.change.delta * 100;
  const arrow = d > 0 ? '↑' : d < 0 ? '↓' : '→';
  const sig = f.change.significant;
  return el('p', { className: `change ${d > 0 ? 'up' : d < 0 ? 'down' : ''}` },
    `${arrow} ${Math.abs(d).toFixed(1)} 个百分点 `,
    el('span', { className: sig ? 'sig' : 'nosig', title: `双比例 z 检验 p = ${f.change.p.toFixed(3)}`, text: sig ? '显著' : '不显著' }),
    el('span', { className: 'muted', text: ` 上轮 ${pct(f.previous.rate)}` }));
}

export function card(f) {
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

export function drawOverview(o) {
  clear(document.getElementById('overview-cards'), ...o.indicators.map(card));
  const parts = [`答卷 ${o.respondents} 份`];
  if (o.previous_respondents !== null) parts.push(`上一轮（${o.previous.name}）${o.previous_respondents} 份`);
  if (o.round) parts.push(`轮次：${o.round.name}${o.open ? '（进行中）' : ''}`);
  document.getElementById('overview-meta').textContent = parts.join(' · ');
  const count = document.getElementById('wall-count');
  if (count) count.textContent = o.respondents.toLocaleString('zh-CN');
  const pending = document.getElementById('pending-n');
  if (pending) pending.textContent = o.pending;
  document.getElementById('updated').textContent = `最后更新 ${timeOf(o.updated_at)}`;
  document.getElementById('counting').textContent = countingNote(o);
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
export function figureCell(r, extra) {
  const td = el('td', { className: `num fig${r.meets_target === false ? ' under' : ''}` },
    el('span', { className: 'rate', text: pct(r.rate) }),
    r.small_sample ? smallBadge() : null,
    el('br'),
    el('span', { className: 'muted small', text: `n=${r.valid} · ${interval(r)}` }));
  if (extra) td.append(el('br'), extra);
  return td;
}

export async function refreshOverview() {
  drawOverview(await api('overview'));
}

// ---- child areas and alerts ----

export const childSort = { key: 'code', dir: 1 };
export let childData = null;

export function sortValue(row, key) {
  if (key === 'code') return row.area.code;
  if (key === 'respondents') return row.respondents;
  // Small samples are not ranked: they sort after the others, like undefined rates.
  const f = row.indicators.find((x) => x.id === key);
  return f && f.rate !== null && !f.small_sample ? f.rate : null;
}

export function drawChildren() {
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

export async function loadChildren() {
  childData = await api('children');
  drawChildren();
}

// ---- topics ----

export async function loadTopics() {
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

export const talk = { q: '', offset: 0, limit: 20 };

export async function loadSuggestions() {
  const d = await api('suggestions', { q: talk.q, offset: talk.offset, limit: talk.limit });
  const list = document.getElementById('suggestion-list');
  clear(list, ...(d.items.length
    ? d.items.map((s) => el('li', { className: 'suggestion', 'data-response': s.response_id, 'data-area': s.area.code, 'data-area-name': s.area.name },
      el('p', { className: 'text', text: s.text }),
      el('p', { className: 'meta muted small' },
        el('span', { text: s.area.name }), ' · ', el('span', { text: s.day }), ' · ', el('span', { text: s.channel_label }),
        s.phone ? ' · 回访电话 ' : null, s.phone ? el('span', { className: 'phone', text: s.phone }) : null)))
    : [el('li', { className: 'muted', text: talk.q ? '没有找到包含该关键词的意见建议' : '暂无意见建议' })]));
  document.getElementById('suggestion-page').textContent = `第 ${Math.floor(talk.offset / talk.limit) + 1} 页`;
  document.getElementById('suggestion-prev').disabled = talk.offset === 0;
  document.getElementById('suggestion-next').disabled = !d.more;
}

export function setupSuggestions() {
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

export async function loadCoverage() {
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
    el('thead', {}, el('tr', {}, el('th', { text: '社区（村）' }), el('th', { className: 'num', text: '户数' }),
      el('th', { className: 'num', text: '本轮答卷' }), el('th', { className: 'num', text: '每百户答卷' }))),
    el('tbody', {}, ...(d.rows.length ? d.rows.map((r) => row(r, false))
      : [el('tr', {}, el('td', { colspan: 4, className: 'muted', text: '该区域下没有社区（村）' }))])),
    el('tfoot', {}, row(d.total, true)));
}
