package web

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi/internal/account"
	"minyi/internal/survey"
)

// TestCloseRoundInBrowser: ending a round takes a second, deliberate step: the button
// is behind 结束本轮… and sends nothing until 确认结束 is ticked; then the round ends
// and the next round is offered the month's next name.
func TestCloseRoundInBrowser(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/admin/surveys"),
		signInAs("admin"),
		chromedp.WaitVisible(chromedp.CSS(".confirm-close summary")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if visible := run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('.confirm-close button').checkVisibility()`)); visible {
		t.Errorf("the end button before 结束本轮… is opened: got visible, want hidden")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".confirm-close summary")),
		chromedp.WaitVisible(chromedp.CSS(".confirm-close button")),
		chromedp.Click(chromedp.CSS(".confirm-close button")),
	)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // a submission, were the browser to send one, would have left by now
	if _, err := e.store.OpenRound(context.Background(), "chuangwen", time.Now()); err != nil {
		t.Fatalf("round after the end button without 确认: got %v, want still open", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.confirm-close input[name=confirm]`)),
		chromedp.Click(chromedp.CSS(".confirm-close button")),
		chromedp.WaitVisible(chromedp.CSS(".round-open")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.OpenRound(context.Background(), "chuangwen", time.Now()); !errors.Is(err, survey.ErrNoOpenRound) {
		t.Errorf("round after confirming: got %v, want closed", err)
	}
	name := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.round-open input[name=name]').value`))
	if want := survey.DefaultRoundName(time.Now().In(e.cfg.Location), []string{"测试轮"}); name != want {
		t.Errorf("next round's name: got %q, want %q", name, want)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}

// TestOutOfScopeMessage: staff asking for an area outside their jurisdiction read
// 无权限或不存在, as for one that does not exist; residents with a wrong link are still
// asked to check the QR code.
func TestOutOfScopeMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", account.Official, street1)
	c := e.signIn("jd1")
	for _, tc := range []struct {
		path, want, unwanted string
		staff                bool
	}{
		{"/dashboard?survey=chuangwen&area=" + community3, msgNoAccess, "二维码", true},
		{"/bulletin?survey=chuangwen&area=" + community3, msgNoAccess, "二维码", true},
		{"/posters/chuangwen/" + community3, msgNoAccess, "二维码", true},
		{"/dashboard?survey=chuangwen&area=000000000000", msgNoAccess, "二维码", true},
		{"/s/chuangwen/000000000000", "请核对二维码", "无权限", false},
	} {
		client := e.anonClient()
		if tc.staff {
			client = c
		}
		res, page := client.get(tc.path)
		if res.StatusCode != 404 || !strings.Contains(page, tc.want) || strings.Contains(page, tc.unwanted) {
			t.Errorf("GET %s: got %d, want 404 saying %q and not %q", tc.path, res.StatusCode, tc.want, tc.unwanted)
		}
	}
}
