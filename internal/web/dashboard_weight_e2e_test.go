package web

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"minyi/internal/survey"
)

// dashboardFirstLoadMax is the most a first visit of the dashboard may transfer:
// the bodies of everything it loads, as they cross the network (gzipped); the
// headers of its replies are not counted.
const dashboardFirstLoadMax = 250 << 10

// TestDashboardFirstLoadWeight opens the dashboard in Chromium with an empty cache and
// sums the bytes of every response it loads (page, scripts, styles, ECharts, the API
// replies), gzipped as transferred: the first load must stay within 250 KB.
func TestDashboardFirstLoadWeight(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 31, map[string]any{"q24": []any{"parking"}}},
		batch{community2, survey.ChannelPaper, 33, map[string]any{"q4": "dont_know"}})
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.http.URL+"/dashboard"),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	urls := map[network.RequestID]string{}
	sizes := map[network.RequestID]float64{}
	headers := map[network.RequestID]float64{}
	err = chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventResponseReceived:
			urls[ev.RequestID] = ev.Response.URL
			headers[ev.RequestID] = ev.Response.EncodedDataLength // the status line and headers
		case *network.EventLoadingFinished:
			sizes[ev.RequestID] = ev.EncodedDataLength - headers[ev.RequestID] // the body as sent, gzipped
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ranking-chart canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#trends-chart canvas`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the last replies of the sections drawn after the charts
	mu.Lock()
	defer mu.Unlock()
	total := 0.0
	var lines []string
	for id, n := range sizes {
		total += n
		lines = append(lines, urls[id]+" "+formatBytes(n))
	}
	sort.Strings(lines)
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("dashboard first load: %d responses, %s transferred", len(sizes), formatBytes(total))
	if total > dashboardFirstLoadMax || len(sizes) < 5 {
		t.Errorf("dashboard first load: got %s in %d responses, want at most %s", formatBytes(total), len(sizes), formatBytes(dashboardFirstLoadMax))
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}

// formatBytes writes n bytes in KB (1024 bytes) with one decimal.
func formatBytes(n float64) string {
	return strconv.FormatFloat(n/1024, 'f', 1, 64) + " KB"
}
