package web

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"minyi/internal/survey"
)

// cspRecorder is a script run before any of a page's own: it records every
// Content-Security-Policy violation of the page in window.__csp.
const cspRecorder = `window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber));`

// TestPagesKeepTheirPolicy opens the pages people use, in Chromium, under the
// service's Content-Security-Policy, uses their scripts and charts, and finds no
// violation of the policy and no error in the console.
func TestPagesKeepTheirPolicy(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 40, map[string]any{"q24": []any{"parking"}}},
		batch{community2, survey.ChannelVolunteer, 35, map[string]any{"q4": "dont_know"}})
	ctx, problems := browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder}); err != nil {
		t.Fatal(err)
	}
	violations := func(name string) {
		t.Helper()
		got := run(t, ctx, chromedp.Evaluate[[]string](`window.__csp || ["no recorder"]`))
		if len(got) > 0 {
			t.Errorf("%s: got policy violations %q, want none", name, got)
		}
	}
	// The resident form, on a phone: its script validates, shows and hides questions.
	run(t, ctx, chromedp.EmulateViewport(390, 844))
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/s/chuangwen/"+community1),
		chromedp.WaitVisible(chromedp.CSS("#survey-form")),
		chromedp.Click(chromedp.CSS(`#q-q26 input[value="yes"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-q27 input`)), // shown by the script
		chromedp.Click(chromedp.CSS(`#survey-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#q-q4.invalid")), // stopped by the script
	)
	if err != nil {
		t.Fatal(err)
	}
	violations("the resident form")

	// The sign-in page, then the dashboard with its charts and a chart's tooltip.
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(".login-box")),
	)
	if err != nil {
		t.Fatal(err)
	}
	violations("the sign-in page")
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/dashboard"),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ranking-chart canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#trends-chart canvas`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	box := run(t, ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector("#trends-chart canvas").getBoundingClientRect();
		window.scrollTo(0, window.scrollY + r.top - 100); const s = document.querySelector("#trends-chart canvas").getBoundingClientRect();
		return [s.left + s.width / 2, s.top + s.height / 2]; })()`))
	run(t, ctx, chromedp.MouseEvent("mouseMoved", box[0], box[1]))
	run(t, ctx, chromedp.Sleep(300*time.Millisecond))
	violations("the dashboard")

	// The printable pages: posters and the bulletin.
	for _, p := range []struct{ name, path, ready string }{
		{"the poster sheet", "/posters/chuangwen/" + street1, "section.poster img.qr"},
		{"the bulletin", "/bulletin?survey=chuangwen&area=" + street1, ".bulletin"},
		{"the ledger", "/ledger", "main"},
		{"the problems", "/problems", "#raise-form"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.http.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready))); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		violations(p.name)
	}
	// The volunteers' app, whose modules load through its import map (an inline
	// script allowed by its hash).
	if err := chromedp.Do(ctx, chromedp.Navigate(e.http.URL+"/v/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the app to know who is signed in", `document.querySelector("#who").textContent.length > 0`, 20*time.Second)
	violations("the volunteers' app")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
