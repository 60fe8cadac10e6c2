package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReviewInBrowser signs a street official in, opens the review page from the
// navigation, accepts a community's too_fast responses with one click and sees the
// dashboard figures move by exactly them, rejects one response with a reason, and
// undoes that from the history.
func TestReviewInBrowser(t *testing.T) {
	e, _, _, _, _ := reviewEnv(t)
	newUser(t, e.store, "jd9", "official", street1)
	ctx, problems := browser(t)
	group := `#review-groups tr[data-area="` + community1 + `"][data-flag="too_fast"]`
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.http.URL+"/dashboard?survey=chuangwen"),
		signInAs("jd9"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#pending-n`))); got != "6" {
		t.Errorf("dashboard 待审核: got %q, want 6", got)
	}
	if got := e.respondents(street1); got != 10 {
		t.Fatalf("respondents before: got %d, want 10", got)
	}
	run(t, ctx, chromedp.Steps(
		chromedp.Click(chromedp.CSS(`#overview-pending`)),
		chromedp.WaitVisible(chromedp.CSS(group)),
	))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(group))); !strings.Contains(got, "用时过短") || !strings.Contains(got, "4") {
		t.Errorf("group row: got %q, want 用时过短 and 4", got)
	}
	run(t, ctx, chromedp.Steps(
		chromedp.Click(chromedp.CSS(group+` button.accept`)),
		chromedp.WaitVisible(chromedp.CSS(`#review-notice`)),
	))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#review-notice`))); !strings.Contains(got, "已采纳 4 份") {
		t.Errorf("notice: got %q, want 已采纳 4 份", got)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#review-pending`))); got != "2" {
		t.Errorf("pending after accepting: got %q, want 2", got)
	}
	if got := e.respondents(street1); got != 14 {
		t.Errorf("respondents after accepting: got %d, want 14", got)
	}

	// Rejecting needs a reason; with one, a single response goes.
	first := `#review-items tbody tr:first-child button.reject`
	run(t, ctx, chromedp.Steps(
		chromedp.Click(chromedp.CSS(first)),
		chromedp.WaitVisible(chromedp.CSS(`#review-error`)),
	))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#review-error`))); got != "驳回须填写理由" {
		t.Errorf("reject without reason: got %q", got)
	}
	run(t, ctx, chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS(`#review-reason`), "同一住户重复录入"),
		chromedp.Click(chromedp.CSS(first)),
		chromedp.WaitVisible(chromedp.CSS(`#review-notice`)),
	))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#review-pending`))); got != "1" {
		t.Errorf("pending after rejecting one: got %q, want 1", got)
	}
	history := run(t, ctx, chromedp.Text(chromedp.CSS(`#review-history tbody tr:first-child`)))
	if !strings.Contains(history, "驳回") || !strings.Contains(history, "同一住户重复录入") || !strings.Contains(history, "jd9") {
		t.Errorf("history: got %q, want the rejection with its reason and reviewer", history)
	}

	// Undo the latest accept: that response leaves the figures again.
	run(t, ctx, chromedp.Evaluate[bool](`document.getElementById('review-notice').remove() === undefined`)) // wait for the next page's
	run(t, ctx, chromedp.Steps(
		chromedp.Click(chromedp.CSS(`#review-history tbody tr:nth-child(2) button.undo`)),
		chromedp.WaitVisible(chromedp.CSS(`#review-notice`)),
	))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#review-notice`))); !strings.Contains(got, "已驳回 1 份") {
		t.Errorf("undo: got %q, want 已驳回 1 份", got)
	}
	if got := e.respondents(street1); got != 13 {
		t.Errorf("respondents after undo: got %d, want 13", got)
	}
	// The refused rejection came back as a 400 page; nothing else may complain.
	if p := problems(); len(p) != 1 || !strings.Contains(p[0], "400") {
		t.Errorf("console: got %v, want only the refused rejection's 400", p)
	}
}
