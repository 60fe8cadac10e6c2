package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi/internal/account"
	"minyi/internal/survey"
)

// TestProblemLoopInBrowser walks the loop as people do it: a street official raises a
// problem from a resident's suggestion on the dashboard and assigns it to a community;
// the community's official rectifies it on a phone, with a photo; the street closes
// it; and the public page, linked from the thank-you page, shows it closed.
func TestProblemLoopInBrowser(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", account.Official, street1)
	newUser(t, e.store, "sq1", account.Official, community1)
	suggestion := "小区东门垃圾桶经常满溢，希望增加清运"
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 1, map[string]any{"q25": suggestion}},
		batch{community2, survey.ChannelQR, 3, nil})

	// The street official, at a desk.
	desk, deskErrors := browser(t)
	err := chromedp.Do(desk,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.http.URL+"/dashboard"),
		signInAs("jd1"),
		chromedp.WaitVisible(chromedp.CSS(`#problems[data-loaded="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#suggestion-list li.suggestion .raise-problem`)),
		chromedp.Click(chromedp.CSS(`#suggestion-list li.suggestion .raise-problem`)),
		chromedp.WaitVisible(chromedp.CSS(`#problem-dialog textarea[name=description]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, desk, chromedp.Value(chromedp.CSS(`#problem-dialog textarea[name=description]`))); got != suggestion {
		t.Errorf("prefilled description: got %q, want the suggestion", got)
	}
	err = chromedp.Do(desk,
		chromedp.SetValue(chromedp.CSS(`#problem-category`), "环境卫生"),
		chromedp.Click(chromedp.CSS(`#problem-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#problem-created-link`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	var list problemsReply
	e.getJSON("/api/v1/problems?area="+community1, &list, e.auth()...)
	if len(list.Items) != 1 || list.Items[0].Source != "suggestion" || list.Items[0].ResponseID == "" ||
		list.Items[0].Description != suggestion || list.Items[0].Category != "环境卫生" {
		t.Fatalf("raised: got %+v, want one problem from the suggestion, its response linked", list.Items)
	}
	id := list.Items[0].ID
	due := e.dayFrom(5)
	err = chromedp.Do(desk,
		chromedp.Click(chromedp.CSS(`#problem-created-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#assign-form`)),
		chromedp.SetValue(chromedp.CSS(`#assign-form select[name=unit]`), community1),
		chromedp.SetValue(chromedp.CSS(`#assign-form input[name=due]`), due),
		chromedp.SendKeys(chromedp.CSS(`#assign-form input[name=assignee]`), "网格员小李"),
		chromedp.Click(chromedp.CSS(`#assign-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rectify-form`)),
	)
	if err != nil {
		t.Fatalf("assign: %v", err)
	}
	if got := run(t, desk, chromedp.Text(chromedp.CSS(`#problem-status`))); got != "整改中" {
		t.Errorf("after assigning: got %q, want 整改中", got)
	}

	// The community's official, on a phone.
	photo := filepath.Join(t.TempDir(), "IMG_2041.jpg")
	if err := os.WriteFile(photo, photoJPEG(t, 60, 40, 1), 0o600); err != nil {
		t.Fatal(err)
	}
	phone, phoneErrors := browser(t)
	err = chromedp.Do(phone,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.http.URL+"/problems"),
		signInAs("sq1"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#problem-list li[data-id="%d"]`, id))),
	)
	if err != nil {
		t.Fatal(err)
	}
	item := run(t, phone, chromedp.Text(chromedp.CSS(fmt.Sprintf(`#problem-list li[data-id="%d"]`, id))))
	if !strings.Contains(item, "期限 "+due) || !strings.Contains(item, "整改中") {
		t.Errorf("assignee's list: got %q, want the due day and 整改中", item)
	}
	if w := run(t, phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("phone page: %d px wide, want no sideways scrolling at 390", w)
	}
	err = chromedp.Do(phone,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#problem-list li[data-id="%d"] a`, id))),
		chromedp.WaitVisible(chromedp.CSS(`#rectify-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#rectify-form input[type=file]`), []string{photo}),
		chromedp.SendKeys(chromedp.CSS(`#rectify-form textarea[name=note]`), "已增加东门垃圾清运频次至每日两次"),
		chromedp.Click(chromedp.CSS(`#rectify-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#close-form`)),
		chromedp.WaitVisible(chromedp.CSS(`#photos img`)),
	)
	if err != nil {
		t.Fatalf("rectify on a phone: %v", err)
	}
	if got := run(t, phone, chromedp.Text(chromedp.CSS(`#problem-status`))); got != "已整改待核验" {
		t.Errorf("after rectifying: got %q, want 已整改待核验", got)
	}
	_, err = chromedp.Run(phone, chromedp.Poll[chromedp.Void](`(() => { const i = document.querySelector('#photos img'); return i.complete && i.naturalWidth === 60; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Errorf("photo on the page: not shown at its 60 px width (%v)", err)
	}

	// The street checks the work and closes the problem.
	err = chromedp.Do(desk,
		chromedp.Navigate(fmt.Sprintf("%s/problems/%d", e.http.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#close-form`)),
		chromedp.SendKeys(chromedp.CSS(`#close-form textarea[name=public_note]`), "东门垃圾桶已增加清运频次"),
		chromedp.Click(chromedp.CSS(`#close-form input[name=contacted]`)),
		chromedp.Click(chromedp.CSS(`#close-form input[name=satisfied][value="true"]`)),
		chromedp.Click(chromedp.CSS(`#close-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#problem-callback`)),
	)
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	if got := run(t, desk, chromedp.Text(chromedp.CSS(`#problem-status`))); got != "已办结" {
		t.Errorf("after closing: got %q, want 已办结", got)
	}
	if got := run(t, desk, chromedp.Text(chromedp.CSS(`#problem-callback`))); got != "已回访，群众满意" {
		t.Errorf("call back: got %q, want 已回访，群众满意", got)
	}

	// A resident who just answered follows the thank-you page's link.
	err = chromedp.Do(phone,
		chromedp.Navigate(e.http.URL+"/s/chuangwen/"+community1+"/thanks"),
		chromedp.Click(chromedp.CSS(`#public-problems`)),
		chromedp.WaitVisible(chromedp.CSS(`.public-group`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	public := run(t, phone, chromedp.Text(chromedp.CSS(`main`)))
	today := time.Now().In(e.cfg.Location).Format("2006年1月2日")
	for _, want := range []string{"环境卫生", "东门垃圾桶已增加清运频次", today + " 办结"} {
		if !strings.Contains(public, want) {
			t.Errorf("public page: got %q, want %q", public, want)
		}
	}
	if strings.Contains(public, suggestion) || strings.Contains(public, "网格员小李") {
		t.Errorf("public page shows the resident's text or a name: %q", public)
	}
	for _, p := range append(deskErrors(), phoneErrors()...) {
		t.Errorf("browser console: %s", p)
	}
}
