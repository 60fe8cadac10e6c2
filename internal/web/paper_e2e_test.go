package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"minyi/internal/survey"
)

// TestPaperEntryByKeyboard keys in paper questionnaires without the mouse: number keys
// pick options, Enter moves on and sends the last question, the next questionnaire
// starts at once; a household already done is refused in plain words.
func TestPaperEntryByKeyboard(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/paper"),
		signInAs("vol1"),
		chromedp.WaitVisible(chromedp.CSS("#q-q1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the first question to have the focus", `document.activeElement.id === "q-q1"`, 10*time.Second)
	// keys answers one questionnaire: digit per question as given (default 1), Enter
	// after each; q26 answered 不需要 so that the phone question stays hidden.
	keys := func(text string) string {
		var b strings.Builder
		for _, q := range e.def.Questions {
			switch {
			case q.ID == "q24":
				b.WriteString("12" + kb.Enter)
			case q.ID == "q26":
				b.WriteString("2" + kb.Enter)
			case q.ID == "q27":
			case q.Type == survey.Text:
				b.WriteString(text + kb.Enter)
			default:
				b.WriteString("1" + kb.Enter)
			}
		}
		return b.String()
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys("多种树"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the first questionnaire", `document.getElementById("paper-count").textContent === "1"`, 10*time.Second)
	var q4, q24, q25, q26, channel string
	err = e.pool.QueryRow(t.Context(), `SELECT answers->>'q4', answers->>'q24', answers->>'q25', answers->>'q26', channel FROM responses`).
		Scan(&q4, &q24, &q25, &q26, &channel)
	if err != nil || q4 != "know" || q24 != `["parking", "sanitation"]` || q25 != "多种树" || q26 != "no" || channel != "paper" {
		t.Errorf("stored: got %s %s %s %s %s (%v)", q4, q24, q25, q26, channel, err)
	}
	// With a household: type it, Enter to the first question, and on.
	waitFor(t, ctx, "a fresh form", `document.activeElement.id === "q-q1"`, 10*time.Second)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#paper-household"), "7-7-707"+kb.Enter),
		chromedp.KeyEvent(keys("")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the second questionnaire", `document.getElementById("paper-count").textContent === "2"`, 10*time.Second)
	waitFor(t, ctx, "the household field to have the focus", `document.activeElement.id === "paper-household"`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("7-7-707"+kb.Enter+keys(""))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the refusal", `document.getElementById("paper-result").textContent.includes("该户本轮已完成问卷")`, 10*time.Second)
	if n := e.count(`SELECT count(*) FROM responses WHERE channel = 'paper'`); n != 2 {
		t.Errorf("paper responses: got %d, want 2", n)
	}
	for _, p := range problems() {
		if !strings.Contains(p, "status of 409") {
			t.Errorf("browser console: got %q", p)
		}
	}
}
