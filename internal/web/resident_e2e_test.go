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
)

// onPhone is a 375×667 phone screen with touch, as most residents have.
var onPhone = chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2), chromedp.EmulateMobile)

// withoutScripts turns page scripts off, as for a browser without JavaScript.
var withoutScripts = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	return err
})

// answerRequired clicks the first option of every required question but those in skip.
func answerRequired(e *testEnv, skip ...string) chromedp.Action[chromedp.Void] {
	var clicks []chromedp.Action[chromedp.Void]
	for _, q := range e.def.Questions {
		if q.Required && !strings.Contains(" "+strings.Join(skip, " ")+" ", " "+q.ID+" ") {
			clicks = append(clicks, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%s input[value="%s"]`, q.ID, q.Options[0].ID))))
		}
	}
	return chromedp.Steps(clicks...)
}

// eventually evaluates a JavaScript predicate until it holds, across page loads (the
// form leaves itself with location.replace, which waits on elements do not follow).
func eventually(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		step, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(step, chromedp.Evaluate[bool](predicate))
		cancel()
		if err == nil && ok {
			return
		}
	}
	t.Fatalf("waiting for %s: got no, want it within 45 s", what)
}

// TestResidentDraftOnPhone: on a phone, a 4th tick where at most 3 are allowed is
// undone, the progress line counts the shown questions, a reload (WeChat reloads a
// page when the resident switches apps) brings the answers back with show_if re-run,
// and after sending, Back does not show the filled form and the form's address opens
// on 已参与.
func TestResidentDraftOnPhone(t *testing.T) {
	e := newEnv(t, nil, nil)
	form := FormURL(e.http.URL, "chuangwen", community1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx, onPhone,
		chromedp.Navigate("about:blank"), // where the phone came from
		chromedp.Navigate(form),
		chromedp.WaitVisible(chromedp.CSS("#form-progress")),
		chromedp.Click(chromedp.CSS(`#q-q1 input[value="student"]`)),
		chromedp.Click(chromedp.CSS(`#q-q26 input[value="yes"]`)),
		chromedp.SendKeys(chromedp.CSS(`#q-q27 input`), "13800138000"),
		chromedp.SendKeys(chromedp.CSS(`#q-q25 textarea`), "路灯坏了"),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []string{"sanitation", "parking", "dogs", "market"} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#q-q24 input[value="`+o+`"]`))); err != nil {
			t.Fatal(err)
		}
	}
	ticked := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#q-q24 input:checked')].map(e => e.value)`))
	if strings.Join(ticked, " ") != "sanitation parking dogs" {
		t.Errorf("q24 after four ticks: got %v, want the first three", ticked)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#err-q24"))); !strings.Contains(got, "最多选择3项") {
		t.Errorf("q24 message: got %q, want 最多选择3项", got)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#form-progress .progress-text"))); got != "已答 5 / 27 题" {
		t.Errorf("progress: got %q, want 已答 5 / 27 题", got)
	}

	// WeChat reloads the page: the answers come back, and q27 is shown again for q26.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#form-progress"))); err != nil {
		t.Fatal(err)
	}
	restored := run(t, ctx, chromedp.Evaluate[[]string](`[
	  document.querySelector('#q-q1 input:checked')?.value || "",
	  [...document.querySelectorAll('#q-q24 input:checked')].map(e => e.value).join(" "),
	  document.querySelector('#q-q25 textarea').value,
	  String(document.getElementById('q-q27').hidden),
	  document.querySelector('#q-q27 input').value,
	  document.querySelector('#form-progress .progress-text').textContent]`))
	want := []string{"student", "sanitation parking dogs", "路灯坏了", "false", "13800138000", "已答 5 / 27 题"}
	if strings.Join(restored, "|") != strings.Join(want, "|") {
		t.Errorf("after reload: got %q, want %q", restored, want)
	}

	err = chromedp.Do(ctx, answerRequired(e, "q1"), chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, "the thank-you page", `location.pathname.endsWith("/thanks") && document.querySelector(".notice-page") !== null`)
	if n := e.respondents(community1); n != 1 {
		t.Errorf("respondents: got %d, want 1", n)
	}
	chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => history.back(), 0)`))
	eventually(t, ctx, "Back to leave the thank-you page", `!location.pathname.endsWith("/thanks") && document.readyState === "complete"`)
	back := run(t, ctx, chromedp.Evaluate[[]string](`[location.pathname, String(document.querySelectorAll('#survey-form input:checked').length)]`))
	if back[0] == "/s/chuangwen/"+community1 && back[1] != "0" {
		t.Errorf("Back after thanks: got the form with %s answers, want no filled form", back[1])
	}
	err = chromedp.Do(ctx, chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(".notice-page")))
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(".notice-page h1"))); got != "您已参与" {
		t.Errorf("form reopened: got %q, want 您已参与", got)
	}
	if got := run(t, ctx, chromedp.Evaluate[int](`Object.keys(localStorage).filter(k => k.startsWith("minyi:")).length`)); got != 0 {
		t.Errorf("drafts left on the phone: got %d, want 0", got)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}

// TestResidentWithoutScripts: without JavaScript a failed submission opens on its
// first wrong question, and after sending, Back shows 已参与, not the filled form.
func TestResidentWithoutScripts(t *testing.T) {
	e := newEnv(t, nil, nil)
	form := FormURL(e.http.URL, "chuangwen", community1)
	ctx, _ := browser(t)
	err := chromedp.Do(ctx, onPhone, withoutScripts,
		chromedp.Navigate(form),
		answerRequired(e, "q13"),
		chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-alert")),
		chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.closest('fieldset') !== null`,
			chromedp.WithPollingTimeout(10*time.Second)),
	)
	if err != nil {
		t.Fatal(err)
	}
	landing := run(t, ctx, chromedp.Evaluate[[]any](`(() => {
	  const fs = document.activeElement.closest('fieldset');
	  const r = fs.getBoundingClientRect();
	  return [fs.id, r.bottom > 0 && r.top < innerHeight, scrollY > 0];
	})()`))
	if fmt.Sprint(landing) != "[q-q13 true true]" {
		t.Errorf("landing after a failed POST: got %v, want [q-q13 true true] (focused, in view, scrolled)", landing)
	}

	// Another phone answers in one go: Back from the thank-you page asks for the form
	// again, and the server answers 已参与.
	ctx, _ = browser(t)
	err = chromedp.Do(ctx, onPhone, withoutScripts,
		chromedp.Navigate(form),
		answerRequired(e),
		chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".notice-page")),
		chromedp.NavigateBack(),
	)
	if err != nil {
		t.Fatal(err)
	}
	page := run(t, ctx, chromedp.Evaluate[[]string](`[location.pathname, document.querySelector('h1')?.textContent || "", String(document.querySelectorAll('input:checked').length)]`))
	if want := []string{"/s/chuangwen/" + community1, "您已参与", "0"}; strings.Join(page, "|") != strings.Join(want, "|") {
		t.Errorf("Back after thanks: got %q, want %q", page, want)
	}
}
