package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"minyi/internal/survey"
)

// TestDashboardInBrowser signs a street official in through the sign-in page, opens
// the dashboard, waits for the charts, compares the overview with the API, sorts
// and drills into a community, and finds a resident's HTML shown as text.
func TestDashboardInBrowser(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	before := e.pastRound("10月第1轮", cst(2026, 10, 1, 0), cst(2026, 10, 31, 0))
	payload := `<img src=x onerror="window.__pwned=1"><b>加粗</b>`
	e.seedResponses(before, cst(2026, 10, 15, 10),
		batch{community1, survey.ChannelQR, 40, map[string]any{"q4": "know"}},
		batch{community2, survey.ChannelQR, 35, map[string]any{"q4": "dont_know"}})
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 31, map[string]any{"q24": []any{"parking"}}},
		batch{community1, survey.ChannelVolunteer, 6, map[string]any{"q4": "dont_know", "q10": "unsure"}},
		batch{community1, survey.ChannelQR, 1, map[string]any{"q25": payload, "q26": "yes", "q27": "13812345678"}},
		batch{community2, survey.ChannelPaper, 33, map[string]any{"q4": "dont_know", "q24": []any{"dogs", "parking"}}},
		batch{"990100001003", survey.ChannelQR, 12, nil}) // a small sample

	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.http.URL+"/dashboard"),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ranking-chart canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#trends-chart canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#checklist-chart canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#funnel-chart canvas`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/dashboard") {
		t.Errorf("after sign-in: got %s, want the dashboard", loc)
	}

	// The overview shows what the API says.
	var api overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&area="+street1, &api)
	var want []string
	for _, f := range api.Indicators {
		want = append(want, fmt.Sprintf("%s %s n=%d %s", f.ID, f.RateText, f.Valid, f.Interval()))
	}
	shown := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#overview-cards .figure-card')].map(c =>
		c.dataset.indicator + ' ' + c.querySelector('.rate').textContent + ' n=' + c.querySelector('.valid').textContent +
		' ' + c.querySelector('.interval').textContent)`))
	if fmt.Sprint(shown) != fmt.Sprint(want) {
		t.Errorf("overview cards: got %q, want %q", shown, want)
	}
	if api.Respondents != 83 || api.Indicators[0].Positive != 44 || api.Indicators[0].Change == nil {
		t.Errorf("API: got %d respondents, %d aware, change %v; want 83, 44 and a change", api.Respondents,
			api.Indicators[0].Positive, api.Indicators[0].Change)
	}
	for i, id := range []string{"awareness", "support"} {
		mark := run(t, ctx, chromedp.Text(chromedp.CSS(`.figure-card[data-indicator=`+id+`] .change .sig, .figure-card[data-indicator=`+id+`] .change .nosig`)))
		if want := api.Indicators[i].Change.Label; mark != want {
			t.Errorf("%s change: got %q, want %q", id, mark, want)
		}
	}
	if updated := run(t, ctx, chromedp.Text(chromedp.CSS(`#updated`))); !strings.HasPrefix(updated, "最后更新") {
		t.Errorf("live: got %q, want 最后更新", updated)
	}

	// The child table: a small sample flagged and unranked; tiers as the API gives
	// them (44/83 pooled: 32/38 above it, 0/33 below); sorting by awareness puts the
	// best first.
	small := run(t, ctx, chromedp.Text(chromedp.CSS(`#children-table tr[data-area="990100001003"]`)))
	if !strings.Contains(small, "样本不足") || !strings.Contains(small, "不参与比较") {
		t.Errorf("small sample row: got %q, want 样本不足 and 不参与比较", small)
	}
	var kids childrenReply
	dashGet(t, e, "/api/v1/dashboard/children?survey=chuangwen&area="+street1, &kids)
	for code, label := range map[string]string{community1: "显著高于同级", community2: "显著低于同级"} {
		var st *StandingFigure
		for _, row := range kids.Rows {
			if row.Area.Code == code {
				st = row.Indicators[0].Standing
			}
		}
		tier := run(t, ctx, chromedp.Text(chromedp.CSS(`#children-table tr[data-area="`+code+`"] td:nth-child(3) .tier`)))
		if st == nil || st.TierLabel != label || !strings.HasPrefix(tier, label) {
			t.Errorf("%s awareness tier: got %q (API %v), want %s", code, tier, st, label)
		}
	}
	if strings.Contains(run(t, ctx, chromedp.Text(chromedp.CSS(`#children-table`))), "较差") {
		t.Errorf("children table: got 较差, want tiers")
	}

	// The funnel plot: the areas with a rate (two ranked, one small) against n, p0 and
	// the 95% limits from the ranking API.
	var rk rankingReply
	dashGet(t, e, "/api/v1/dashboard/ranking?survey=chuangwen&area="+street1, &rk)
	funnel := run(t, ctx, chromedp.Evaluate[map[string]any](`(() => {
		const o = echarts.getInstanceByDom(document.getElementById('funnel-chart')).getOption();
		return { types: o.series.map(s => s.type).join(','), points: o.series[0].data.map(d => d.value.join('/')).sort().join(' '),
			p0: o.series[1].data[0][1], low: o.series[2].data.length, high: o.series[3].data.length };
	})()`))
	wantPoints := []string{}
	for _, a := range append(rk.Ranked, rk.Small...) {
		if a.Rate != nil {
			wantPoints = append(wantPoints, fmt.Sprintf("%d/%v", a.Valid, *a.Rate))
		}
	}
	slices.Sort(wantPoints)
	if rk.P0 == nil || funnel["types"] != "scatter,line,line,line" || funnel["points"] != strings.Join(wantPoints, " ") ||
		funnel["p0"] != *rk.P0 || funnel["low"] != float64(len(rk.Funnel)) || funnel["high"] != float64(len(rk.Funnel)) {
		t.Errorf("funnel plot: got %v, want scatter and lines, points %v, p0 %v and %d limits", funnel, wantPoints, rk.P0, len(rk.Funnel))
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#children-table th[data-key=awareness]`))); err != nil {
		t.Fatal(err)
	}
	order := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#children-table tbody tr')].slice(0, 2).map(r => r.dataset.area)`))
	if fmt.Sprint(order) != fmt.Sprint([]string{community1, community2}) {
		t.Errorf("sorted by awareness: got %v first, want %s then %s", order, community1, community2)
	}
	bars := run(t, ctx, chromedp.Evaluate[int](`echarts.getInstanceByDom(document.getElementById('ranking-chart')).getOption().series[0].data.length`))
	if bars != 2 {
		t.Errorf("ranking bars: got %d, want the 2 ranked communities", bars)
	}

	// Trends by round: two points, one per round.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#trends-by`), "round"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('trends-by').dispatchEvent(new Event('change'))`),
		chromedp.Poll[chromedp.Void](`document.getElementById('trends-chart').dataset.points === '2'`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if err != nil {
		t.Fatalf("trends by round: %v", err)
	}

	// Drill down into community1 by clicking it.
	// Export: the page's link downloads the street's table with the browser's session.
	xlsx := run(t, ctx, chromedp.Evaluate[string](`fetch(document.getElementById('export-xlsx').href)
		.then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
		.then(b => { let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); return btoa(s); })`,
		chromedp.EvalAwaitPromise))
	raw, err := base64.StdEncoding.DecodeString(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("exported XLSX: %v", err)
	}
	rows, err := book.GetRows(sheetChildren)
	if first := book.GetSheetList()[0]; err != nil || len(rows) < 2 || !strings.Contains(strings.Join(rows[1], " "), "望江社区") || first != sheetTotals {
		t.Errorf("exported XLSX: got first sheet %s and %v (%v), want 汇总 first and a row per community of 临江街道", first, rows, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#children-table tr[data-area="`+community1+`"] a.drill`)),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-area="`+community1+`"][data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#suggestion-list .suggestion`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	crumbs := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#breadcrumb a')].map(a => a.textContent)`))
	if fmt.Sprint(crumbs) != fmt.Sprint([]string{"临江街道", "望江社区"}) {
		t.Errorf("breadcrumb: got %v, want 临江街道 › 望江社区", crumbs)
	}
	text := run(t, ctx, chromedp.Text(chromedp.CSS(`#suggestion-list .suggestion .text`)))
	phone := run(t, ctx, chromedp.Text(chromedp.CSS(`#suggestion-list .suggestion .phone`)))
	injected := run(t, ctx, chromedp.Evaluate[bool](`window.__pwned === 1 || document.querySelector('#suggestions img, #suggestions b') !== null`))
	if text != payload || phone != "138****5678" || injected {
		t.Errorf("suggestion: got %q (phone %q, markup live %v), want the payload as text and the phone masked", text, phone, injected)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
