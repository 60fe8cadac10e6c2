// The officials' dashboard: fetches the figures of the view shown (survey, area,
// round) from /api/v1/dashboard/* and draws them. Text from the server (area names,
// residents' suggestions) only ever goes into the page through textContent or
// escaped chart labels, never as HTML.

import { load, root, view, REFRESH_MS } from './dashboard-common.js';
import { refreshOverview, loadChildren, loadTopics, loadSuggestions, setupSuggestions, loadCoverage } from './dashboard-sections.js';
import { loadRanking, setupRanking, loadTrends, trendsState } from './dashboard-charts.js';

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
  // The view toggles: weighted or not, every respondent or residents only. The
  // exports and the bulletin follow the view shown.
  for (const [id, key, plain] of [['view-weight', 'weight', 'none'], ['view-respondent', 'respondent', 'all']]) {
    const sel = document.getElementById(id);
    if (!sel) continue;
    sel.addEventListener('change', () => {
      view[key] = sel.value;
      for (const link of ['export-xlsx', 'bulletin-link']) {
        const a = document.getElementById(link);
        if (!a) continue;
        const url = new URL(a.href, location.href);
        if (view[key] === plain) url.searchParams.delete(key);
        else url.searchParams.set(key, view[key]);
        a.href = url.pathname + url.search;
      }
      loadAll();
    });
  }
  for (const id of ['trends-by', 'trends-channel']) {
    const sel = document.getElementById(id);
    if (sel) sel.addEventListener('change', () => { trendsState.chosen = true; load('trends', loadTrends); });
  }
}

// loadAll loads every section of the view.
function loadAll() {
  root.removeAttribute('data-loaded');
  const tasks = [load('overview', refreshOverview), load('ranking', loadRanking), load('trends', loadTrends)];
  if (!view.wall) {
    tasks.push(load('children', loadChildren), load('topics', loadTopics),
      load('suggestions', loadSuggestions), load('coverage', loadCoverage));
  }
  return Promise.all(tasks).then(() => root.setAttribute('data-loaded', 'true'));
}

function start() {
  if (!view.survey) return;
  if (view.wall) document.body.classList.add('wall');
  setupControls();
  setupRanking();
  if (!view.wall) setupSuggestions();
  loadAll();
  // While a round is open the overview follows it; a wall screen follows the ranking too.
  setInterval(() => {
    if (document.hidden) return;
    if (view.open || view.wall) load('overview', refreshOverview);
    if (view.wall) { load('ranking', loadRanking); load('trends', loadTrends); }
  }, REFRESH_MS);
}

start();
