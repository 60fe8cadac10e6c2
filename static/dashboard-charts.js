// The dashboard's charts: the ranking with interval whiskers, the funnel plot and
// the trends.

import { pct, rateText, interval, escapeHTML, api, load, chart, view, rateAxis } from './dashboard-common.js';

export const TIER_COLOR = { above: '#2e9e5b', within: '#3b7dd8', below: '#d9534f' };

// ---- ranking chart ----

export const ranking = { indicator: '', level: 'children', end: 'top', data: null };

// whiskers are the 95% intervals of the ranked areas, drawn as line segments from
// ci_low to ci_high on each area's row, capped at both ends.
function whiskers(list, color) {
  return {
    silent: true, symbol: 'path://M0 0H10V1H0Z', symbolSize: 10, symbolKeepAspect: true,
    lineStyle: { color, width: 1.5, type: 'solid' }, label: { show: false },
    data: list.map((a, i) => [{ coord: [a.ci_low, i] }, { coord: [a.ci_high, i] }]),
  };
}

export function drawRanking() {
  const d = ranking.data;
  const list = ranking.end === 'top' ? d.ranked.slice(0, 10) : d.ranked.slice(-10).reverse();
  const target = d.indicator.target;
  const ink = view.wall ? '#e6e6e6' : '#1f2328';
  const node = document.getElementById('ranking-chart');
  if (!view.wall) node.style.height = `${Math.max(160, list.length * 34 + 70)}px`; // the wall screen's fills its cell
  const c = chart('ranking-chart');
  c.resize();
  const font = view.wall ? 18 : 12;
  // Places come from the server (tier, then shrunk rate); equal places are ties. On
  // the bottom 10 the places are still counted from the top.
  const tied = (a) => d.ranked.filter((b) => b.place === a.place).length > 1;
  const label = (a) => `${tied(a) ? '并列' : ''}${a.place}. ${a.area.name}  ${rateText(a)}`;
  node.dataset.labels = JSON.stringify(list.map(label));
  c.setOption({
    backgroundColor: 'transparent',
    animation: !view.wall,
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const a = list[p.dataIndex];
        return `${escapeHTML(a.area.name)}<br>第 ${a.place} 位 · ${escapeHTML(a.tier_label)}<br>${rateText(a)}，95% 区间 ${interval(a)}<br>有效样本 ${a.valid}`;
      },
    },
    xAxis: rateAxis([...list.map((a) => a.ci_low), target], { axisLabel: { fontSize: font } }),
    yAxis: {
      type: 'category', inverse: true,
      data: list.map(label),
      axisLabel: { color: ink, fontSize: font },
    },
    series: [
      {
        type: 'bar', name: d.indicator.name, barMaxWidth: view.wall ? 30 : 22,
        data: list.map((a) => ({ value: a.rate, itemStyle: { color: TIER_COLOR[a.tier] } })),
        markLine: target === null ? undefined : {
          symbol: 'none', silent: true, lineStyle: { color: '#b4232c', type: 'dashed' },
          label: { position: 'insideEndTop', formatter: `目标 ${pct(target, 0)}`, color: ink, fontSize: font }, data: [{ xAxis: target }],
        },
      },
      { type: 'line', name: '95% 区间', data: [], z: 10, silent: true, markLine: whiskers(list, ink) },
    ],
  }, true);
  const small = d.small.map((a) => a.area.name);
  const out = d.out_of_scope.map((a) => a.area.name);
  document.getElementById('ranking-small').textContent = (d.ranked.length ? '' : '没有可排名的区域。')
    + (d.p0 === null ? '' : `同级合并比率 p0 = ${d.p0_text}，收缩强度 k = ${d.k.toFixed(1)}；先按档次（显著高于 / 无显著差异 / 显著低于同级），同档按收缩比率排序，相同者并列。`)
    + (small.length ? `样本不足、不参与排名：${small.join('、')}。` : '')
    + (out.length ? `不纳入测评：${out.join('、')}。` : '');
  drawFunnel();
  const alerts = document.getElementById('ranking-alerts');
  if (alerts) alerts.textContent = d.alerts.map((a) => `${a.area.name}：${a.label}`).join('；');
}

// drawFunnel plots each area's rate against its n with the siblings' p0 and the 95%
// limits around it: an area outside the funnel is one whose interval excludes p0,
// exactly the tiers above and below; small areas swing widely inside it.
export function drawFunnel() {
  const d = ranking.data;
  const node = document.getElementById('funnel-chart');
  if (!node || view.wall) return; // the wall screen shows the ranking only
  const c = chart('funnel-chart');
  const points = [...d.ranked, ...d.small].filter((a) => a.rate !== null);
  node.dataset.points = String(points.length);
  node.dataset.p0 = d.p0 === null ? '' : String(d.p0);
  const lows = d.funnel.map((f) => f.low).concat(points.map((a) => a.rate));
  const floor = lows.length ? Math.max(0, Math.floor(Math.min(...lows) * 20) / 20) : 0;
  const ink = view.wall ? '#e6e6e6' : '#1f2328';
  c.setOption({
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: ink }, data: ['区域', '同级合并比率 p0', '95% 控制限'] },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        if (p.seriesName !== '区域') return `${escapeHTML(p.seriesName)}：n=${p.value[0]}，${pct(p.value[1])}`;
        const a = points[p.dataIndex];
        return `${escapeHTML(a.area.name)}<br>${rateText(a)}（n=${a.valid}）<br>${escapeHTML(a.tier_label ?? '样本不足，不参与比较')}`;
      },
    },
    xAxis: { type: 'value', name: '有效样本 n', nameLocation: 'middle', nameGap: 24, min: 0 },
    yAxis: { type: 'value', min: floor, max: 1, axisLabel: { formatter: (v) => pct(v, 0) } },
    series: [
      { type: 'scatter', name: '区域', symbolSize: 10,
        data: points.map((a) => ({ value: [a.valid, a.rate], itemStyle: { color: a.tier ? TIER_COLOR[a.tier] : '#999' } })) },
      { type: 'line', name: '同级合并比率 p0', symbol: 'none', color: ink,
        data: d.p0 === null ? [] : d.funnel.map((f) => [f.n, d.p0]) },
      { type: 'line', name: '95% 控制限', symbol: 'none', color: '#b4232c', lineStyle: { type: 'dashed' },
        data: d.funnel.map((f) => [f.n, f.low]) },
      { type: 'line', name: '95% 控制限', symbol: 'none', color: '#b4232c', lineStyle: { type: 'dashed' },
        data: d.funnel.map((f) => [f.n, f.high]) },
    ],
  }, true);
}

export async function loadRanking() {
  ranking.data = await api('ranking', { indicator: ranking.indicator, level: ranking.level });
  drawRanking();
}

export function setupRanking() {
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

// oneDay reports whether the round shown has answers on one day at most.
async function oneDay() {
  const d = await api('trends', { by: 'day', round: view.round });
  return !d.indicators.length || d.indicators[0].points.length <= 1;
}

export const PALETTE = ['#b4232c', '#3b7dd8', '#2e9e5b', '#d98c1f', '#7a4fc0'];

// trendsChosen is set once the official picks a period: until then a round answered
// on one day only is shown by round, not as a single dot.
export const trendsState = { chosen: false };

export async function loadTrends() {
  const select = document.getElementById('trends-by');
  if (!trendsState.chosen && select.value === 'day' && await oneDay()) select.value = 'round';
  const by = select.value;
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
          lines.push(`${escapeHTML(ind.name)}：${rateText(p)}（${interval(p)}，n=${p.valid}${p.small_sample ? '，样本不足' : ''}）`);
        }
        return lines.join('<br>');
      },
    },
    xAxis: { type: 'category', data: periods, boundaryGap: false },
    yAxis: rateAxis(d.indicators.flatMap((ind) => ind.points.map((p) => p.ci_low))),
    series,
  }, true);
  const node = document.getElementById('trends-chart');
  node.dataset.points = String(periods.length);
  node.dataset.axisMin = String(c.getOption().yAxis[0].min);
  if (!periods.length) node.setAttribute('aria-label', '该范围内暂无数据');
}
