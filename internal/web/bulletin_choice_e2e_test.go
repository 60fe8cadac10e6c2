package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"minyi/internal/account"
	"minyi/internal/survey"
)

// TestBulletinIssueAndSuggestions: the official numbers the bulletin (第N期), picks
// the suggestions to print (the newest 10 ticked at first; unticked ones do not
// print), and the printed pages carry page numbers.
func TestBulletinIssueAndSuggestions(t *testing.T) {
	e := newEnv(t, nil, nil)
	seed(t, e, e.round, community1, survey.ChannelQR, 12, time.Now(), func(i int) map[string]any {
		return map[string]any{"q25": fmt.Sprintf("建议第%02d条", i)}
	})
	newUser(t, e.store, "jd1", account.Official, street1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/bulletin?survey=chuangwen&area="+street1),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS("#issue")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("issue").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#issue"), "17"),
		chromedp.Click(chromedp.CSS(".issue-form button")),
		chromedp.WaitVisible(chromedp.CSS(`#issue[value="17"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h1 := run(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.HasSuffix(h1, "（第17期）") {
		t.Errorf("heading after numbering: got %q, want …（第17期）", h1)
	}
	ticks := run(t, ctx, chromedp.Evaluate[[]int](`[document.querySelectorAll(".suggestions li").length, document.querySelectorAll(".suggestions .pick-box:checked").length]`))
	if fmt.Sprint(ticks) != "[12 10]" {
		t.Errorf("suggestions offered and ticked: got %v, want [12 10]", ticks)
	}
	// Untick the first: it no longer prints.
	first := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".suggestions li").textContent.replace("印发", "").trim()`))
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".suggestions li .pick-box")),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	printed := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".suggestions li")].filter((li) => li.checkVisibility()).map((li) => li.innerText.trim())`))
	if len(printed) != 9 || strings.Contains(strings.Join(printed, "|"), first) || strings.Contains(strings.Join(printed, "|"), "印发") {
		t.Errorf("suggestions in print: got %q, want the 9 still ticked, without %q and without the ticks", printed, first)
	}
	footer := run(t, ctx, chromedp.Evaluate[string](`[...document.styleSheets].flatMap((s) => [...s.cssRules])
	  .filter((r) => r instanceof CSSPageRule).map((r) => r.cssText).join(" ")`))
	if !strings.Contains(footer, "counter(page)") || !strings.Contains(footer, "counter(pages)") {
		t.Errorf("@page rules: got %q, want page numbers (counter(page) of counter(pages))", footer)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
	for _, bad := range []string{"0", "x", "10000"} {
		res, body := e.do("GET", "/bulletin?survey=chuangwen&area="+street1+"&issue="+bad, nil, append(e.auth(), "Accept", "application/json")...)
		if res.StatusCode != 400 || body["error"] != "bad_request" {
			t.Errorf("issue=%s: got %d %v, want 400 bad_request", bad, res.StatusCode, body)
		}
	}
}
