package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi/internal/survey"
)

// seedHighRates gives street1's communities high and partly equal awareness: 40 of 40
// in community1 and community2 (a tie), 37 of 40 in 990100001004.
func seedHighRates(t *testing.T, e *testEnv) {
	t.Helper()
	now := time.Now()
	seed(t, e, e.round, community1, survey.ChannelQR, 40, now, nil)
	seed(t, e, e.round, community2, survey.ChannelQR, 40, now, nil)
	seed(t, e, e.round, "990100001004", survey.ChannelQR, 40, now, func(i int) map[string]any {
		if i < 3 {
			return map[string]any{"q4": "dont_know"}
		}
		return nil
	})
}

// TestDashboardChartsFitTheData: with every rate above 90% the axes start near the
// data, not at 0; equal printed rates are ranked as ties; a round answered on one
// day shows its trend by round; the area column of the child areas stays in place
// when the table scrolls sideways.
func TestDashboardChartsFitTheData(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	seedHighRates(t, e)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.http.URL+"/dashboard?survey=chuangwen&area="+street1),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ranking-chart canvas`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	axes := run(t, ctx, chromedp.Evaluate[[]float64](`[
	  echarts.getInstanceByDom(document.getElementById('ranking-chart')).getOption().xAxis[0].min,
	  echarts.getInstanceByDom(document.getElementById('trends-chart')).getOption().yAxis[0].min]`))
	for i, name := range []string{"ranking", "trend"} {
		if axes[i] < 0.5 || axes[i] > 0.9 {
			t.Errorf("%s axis from %v: want a 5%% step between 50%% and 90%%, below the lowest interval", name, axes[i])
		}
	}
	// Each ranked area's 95% interval is a whisker on its row, from ci_low to ci_high.
	whiskers := run(t, ctx, chromedp.Evaluate[[][]float64](`echarts.getInstanceByDom(document.getElementById('ranking-chart'))
	  .getOption().series[1].markLine.data.map((w) => [w[0].coord[1], w[0].coord[0], w[1].coord[0]])`))
	if len(whiskers) != 3 {
		t.Errorf("ranking whiskers: got %v, want one per ranked community (3)", whiskers)
	}
	for i, w := range whiskers {
		if int(w[0]) != i || w[1] >= w[2] || w[1] < 0.5 || w[2] > 1 {
			t.Errorf("whisker %d: got row %v from %v to %v, want row %d, a low below its high", i, w[0], w[1], w[2], i)
		}
	}
	labels := run(t, ctx, chromedp.Evaluate[string](`document.getElementById('ranking-chart').dataset.labels`))
	if !strings.Contains(labels, `"并列1. `) || strings.Count(labels, "并列1. ") != 2 || !strings.Contains(labels, `"3. `) {
		t.Errorf("ranking labels: got %s, want two 并列1 and then 3", labels)
	}
	if by := run(t, ctx, chromedp.Evaluate[string](`document.getElementById('trends-by').value`)); by != "round" {
		t.Errorf("trend period of a round answered on one day: got %q, want round", by)
	}
	pos := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#children-table tr > :first-child')].slice(0, 2).map((c) => getComputedStyle(c).position)`))
	if strings.Join(pos, ",") != "sticky,sticky" {
		t.Errorf("area column: got position %v, want sticky", pos)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}

// TestWallScreen: ?wall=1 fills a 1080p screen without scrolling — title, the live
// count of answers, the headline cards, the ranking and the trend — and shows no form
// controls.
func TestWallScreen(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	seedHighRates(t, e)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(e.http.URL+"/dashboard?survey=chuangwen&area="+street1+"&wall=1"),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ranking-chart canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#trends-chart canvas`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, ctx, chromedp.Evaluate[[]any](`(() => {
	  const visible = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.checkVisibility());
	  const h = (id) => Math.round(document.getElementById(id).getBoundingClientRect().height);
	  const d = document.documentElement;
	  return [document.querySelector('.wall-head h1').textContent, document.getElementById('wall-count').textContent,
	    visible('select, input, button, textarea').length,
	    document.getElementById('dashboard').getBoundingClientRect().bottom <= innerHeight, d.scrollWidth <= innerWidth,
	    h('ranking-chart') >= 300, h('trends-chart') >= 300, visible('.figure-card').length];
	})()`))
	want := []any{"临江街道 · 创建全国文明城市群众满意度模拟问卷", "120", 0.0, true, true, true, true, 4.0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("wall screen: got %v, want %v (title, count, form controls shown, fits height, fits width, charts ≥ 300 px, cards)", got, want)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
