// The dashboard's tables and lists: overview and channel split, child areas and
// alerts, topics, suggestions and coverage.

import { el, clear, pct, rateText, interval, STATUS, escapeHTML, api, load, chart, smallBadge, timeOf, countingNote, areaLink, view } from './dashboard-common.js';

// ---- overview and channel split ----

// changeLine prints the change since the round before: the difference of the
// printed rates, its Newcombe interval and whether it is significant.
export function changeLine(f) {
  if (!f.change) return el('p', { className: 'change muted', text: f.previous ? '与上轮无可比数据' : '无上一轮数据' });
  const c = f.change;
  if (c.significant === null) {
    return el('p', { className: 'change muted' }, el('span', { className: 'nosig', text: c.label }),
      el('span', { className: 'muted', text: ` 上轮 ${rateText(f.previous)}` }));
  }
  const d = c.diff;
  const arrow = d > 0 ? '↑' : d < 0 ? '↓' : '→';
  return el('p', { className: `change ${d > 0 ? 'up' : d < 0 ? 'down' : ''}` },
    `${arrow} `, el('span', { className: 'delta', text: c.text }), ' ',
    el('span', { className: c.significant ? 'sig' : 'nosig', title: `变化的 95% 区间（Newcombe）：${c.interval_text}`, text: c.label }),
    el('span', { className: 'muted', text: ` 上轮 ${rateText(f.previous)}` }));
}

// statusBadge shows a figure's standing against its target.
export function statusBadge(r) {
  if (!r.target_status) return null;
  return el('span', { className: `status ${r.target_status}`, 'data-status': r.target_status, text: STATUS[r.target_status] });
}

export function card(f) {
  const below = f.target_status === 'not_met';
  return el('div', { className: `figure-card${below ? ' below-target' : ''}`, 'data-indicator': f.id },
    el('h3', { text: f.name }),
    el('p', { className: 'rate', 'data-rate': f.rate ?? '', text: rateText(f) }),
    el('p', { className: 'n' }, `有效样本 n = `, el('span', { className: 'valid', text: f.valid }),
      f.small_sample ? smallBadge() : null),
    el('p', { className: 'ci muted' }, '95% 区间 ', el('span', { className: 'interval', text: interval(f) })),
    el('p', { className: 'target' }, f.target === null ? '未设目标' : `目标 ${pct(f.target, 0)} `, statusBadge(f)),
    changeLine(f));
}

export function drawOverview(o) {
  clear(document.getElementById('overview-cards'), ...o.indicators.map(card));
  const parts = [`答卷 ${o.respondents} 份`, o.weight === 'households' ? '按户数加权' : '不加权',
    o.respondent === 'resident' ? '仅常住居民' : '全部答卷人'];
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
  const td = el('td', { className: `num fig${r.target_status === 'not_met' ? ' under' : ''}` },
    el('span', { className: 'rate', text: rateText(r) }),
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

// sortValue orders rows by an indicator as the ranking does: by tier, then shrunk
// rate; unranked rows (small samples, out of scope, 本级) and topics by rate after.
export function sortValue(row, key) {
  if (key === 'code') return row.area.own ? '~' : row.area.code;
  if (key === 'respondents') return row.respondents;
  const f = row.indicators.find((x) => x.id === key);
  if (!f || f.rate === null || f.small_sample || row.area.own || !row.area.in_scope) return null;
  if (!f.standing) return f.rate;
  return { above: 2, within: 1, below: 0 }[f.standing.tier] + f.standing.shrunk_rate;
}

// standingText labels a child's tier on a headline indicator.
function standingText(row, f) {
  if (row.area.own) return '本级，不参与比较';
  if (!row.area.in_scope) return '不纳入测评';
  if (!f.standing) return '不参与比较';
  return f.standing.tier === 'within' ? `与同级无显著差异 · 第 ${f.standing.place} 位` : `${f.standing.tier_label} · 第 ${f.standing.place} 位`;
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
    ? rows.map((row) => el('tr', { 'data-area': row.area.code, 'data-own': row.area.own ? 'true' : null },
      el('td', {}, row.area.own ? el('span', { text: row.area.name })
        : el('a', { href: areaLink(row.area), className: 'drill', text: row.area.name })),
      el('td', { className: 'num', text: row.respondents }),
      ...row.indicators.map((f) => figureCell(f, f.headline
        ? el('span', { className: `tier muted small${f.standing ? ` ${f.standing.tier}` : ''}`, 'data-tier': f.standing ? f.standing.tier : null,
          text: standingText(row, f) })
        : null))))
    : [el('tr', {}, el('td', { colspan: d.indicators.length + 2, className: 'muted', text: '没有下级区域' }))];
  clear(table, el('thead', {}, head), el('tbody', {}, ...body));

  const list = document.getElementById('alert-list');
  clear(list, ...(d.alerts.length ? d.alerts.map(alertItem)
    : [el('li', { className: 'muted', text: d.previous ? '没有连续两轮显著低于同级或同级末位的区域' : '没有上一轮数据，无法比较' })]));
}

// alertItem shows an alert with the evidence of both rounds.
export function alertItem(a) {
  const ev = (e) => `${e.round} ${e.rate_text}（${e.positive}/${e.valid}，${e.interval_text}，同级 ${e.p0_text}）`;
  return el('li', { className: 'alert', 'data-kind': a.kind },
    el('a', { href: areaLink(a.area), text: a.area.name }),
    ` · ${a.indicator_name}：${a.label}。本轮 ${ev(a.evidence.now)}；上轮 ${ev(a.evidence.previous)}`);
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
    el('td', { className: 'num', text: f.excluded_share === null ? '—' : `${f.excluded_text}（${f.excluded}/${f.answers}）` }),
    el('td', { className: 'num', text: f.target === null ? '—' : pct(f.target, 0) })));
  clear(table, el('thead', {}, head), el('tbody', {}, ...rows));

  const box = document.getElementById('distributions');
  clear(box, ...d.questions.map((q) => {
    const base = q.answered;
    return el('details', { className: 'distribution', 'data-question': q.id },
      el('summary', { text: `${q.text}${q.type === 'multi' ? '（多选）' : ''}` }),
      el('ul', {}, ...q.options.map((o) => {
        const share = base ? o.count / base : null;
        return el('li', {},
          el('span', { className: 'label', text: o.text }),
          el('span', { className: 'bar' }, el('span', { style: `width:${share === null ? 0 : Math.round(share * 100)}%` })),
          el('span', { className: 'num', text: `${o.count}（${o.share_text}）` }));
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
    tooltip: { trigger: 'item', formatter: (p) => `${escapeHTML(list.options[p.dataIndex].text)}：${p.value} 人（占答题者 ${list.options[p.dataIndex].share_text}）` },
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

// per100 prints n per 100 households with one decimal, from the exact fraction, half up.
function per100(n, households) {
  if (!households) return '—';
  const t = Math.floor((2000 * n + households) / (2 * households)); // tenths of n/households·100
  return `${Math.floor(t / 10)}.${t % 10}`;
}

export async function loadCoverage() {
  const d = await api('coverage');
  const rounds = d.rounds_this_month.map((r) => r.name);
  document.getElementById('coverage-rounds').textContent =
    `${d.month} 本月开展的轮次：${rounds.length ? rounds.join('、') : '无'}（共 ${rounds.length} 轮）`;
  const row = (r, total) => el('tr', total ? { className: 'total' } : { 'data-area': r.area.code },
    el('td', {}, total ? '合计' : el('a', { href: areaLink(r.area), text: r.area.name })),
    el('td', { className: 'num', text: r.households ?? '—' }),
    el('td', { className: 'num', text: r.households_reached }),
    el('td', { className: 'num', text: per100(r.households_reached, r.households) }),
    el('td', { className: 'num', text: r.respondents }),
    el('td', { className: 'num', text: per100(r.respondents, r.households) }));
  clear(document.getElementById('coverage-table'),
    el('thead', {}, el('tr', {}, el('th', { text: '社区（村）' }), el('th', { className: 'num', text: '户数' }),
      el('th', { className: 'num', text: '入户覆盖户数' }), el('th', { className: 'num', text: '每百户覆盖户数' }),
      el('th', { className: 'num', text: '答卷' }), el('th', { className: 'num', text: '每百户答卷数' }))),
    el('tbody', {}, ...(d.rows.length ? d.rows.map((r) => row(r, false))
      : [el('tr', {}, el('td', { colspan: 6, className: 'muted', text: '该区域下没有社区（村）' }))])),
    el('tfoot', {}, row(d.total, true)));
}
