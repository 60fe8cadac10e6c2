package web

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"minyi/internal/account"
	"minyi/internal/survey"
)

// TestBulletinInBrowser: a street official signs in, opens the bulletin, sees the 打印
// button on screen and not on paper, and prints it on A4 pages.
func TestBulletinInBrowser(t *testing.T) {
	e := newEnv(t, nil, nil)
	seed(t, e, e.round, community1, survey.ChannelQR, 40, time.Now(), satisfiedUnless(5))
	newUser(t, e.store, "jd1", account.Official, street1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/bulletin?survey=chuangwen&area="+street1),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS("#print")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h1 := run(t, ctx, chromedp.Text(chromedp.CSS("h1"))); h1 != "创建全国文明城市群众满意度模拟测评通报（第1期）" {
		t.Errorf("heading: got %q", h1)
	}
	display := func() string {
		return run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".bulletin-tools")).display`))
	}
	if d := display(); d == "none" {
		t.Errorf("tools on screen: got display %s, want shown", d)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	if d := display(); d != "none" {
		t.Errorf("tools and 打印 button in print: got display %s, want none", d)
	}
	cssPageSize := true // @page { size: A4 } decides the paper
	pdf := run(t, ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) { p.PreferCSSPageSize = &cssPageSize }))
	boxes := regexp.MustCompile(`/MediaBox\s*\[0 0 ([0-9.]+) ([0-9.]+)\]`).FindAllStringSubmatch(string(pdf), -1)
	if len(boxes) == 0 {
		t.Fatalf("PDF: no pages")
	}
	for _, b := range boxes {
		if !strings.HasPrefix(b[1], "594.") && !strings.HasPrefix(b[1], "595") || !strings.HasPrefix(b[2], "841.") && !strings.HasPrefix(b[2], "842") {
			t.Errorf("PDF page %s × %s pt, want A4 (595 × 842)", b[1], b[2])
		}
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
