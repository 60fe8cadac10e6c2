package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
)

// wechatPhone is a phone whose browser is WeChat's.
type wechatPhone struct{}

func (wechatPhone) Device() device.Info {
	return device.Info{Name: "WeChat", UserAgent: wechatUA, Width: 390, Height: 844, Scale: 2, Mobile: true, Touch: true}
}

// TestWeChatInBrowser: a resident inside WeChat opens the poster's form, passes
// through WeChat's silent OAuth without noticing and answers once; the same WeChat
// user in another browser is told they already took part, and nothing more is stored.
func TestWeChatInBrowser(t *testing.T) {
	e, w, _ := wechatEnv(t)
	w.as("oBrowser-resident", "")
	form := e.http.URL + "/s/chuangwen/" + community1
	for i, want := range []string{"thanks", "您已参与过本轮问卷，感谢您的支持"} {
		ctx, problems := browser(t)
		var clicks []chromedp.Action[chromedp.Void]
		for q, o := range fullAnswers(e.def) {
			clicks = append(clicks, chromedp.Click(chromedp.CSS(`#q-`+q+` input[value="`+o.(string)+`"]`)))
		}
		if err := chromedp.Do(ctx,
			chromedp.Emulate(wechatPhone{}),
			chromedp.Navigate(form),
			chromedp.WaitVisible(chromedp.CSS("#survey-form button[type=submit]")),
		); err != nil {
			t.Fatal(err)
		}
		// A redirect without a fragment keeps the one of the URL before (#wechat_redirect).
		if loc, _, _ := strings.Cut(run(t, ctx, chromedp.Location()), "#"); loc != form {
			t.Errorf("browser %d: landed on %s, want the form %s", i+1, loc, form)
		}
		if err := chromedp.Do(ctx, clicks...); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")))
		if want == "thanks" {
			run(t, ctx, chromedp.WaitVisible(chromedp.CSS(".notice-page")))
			if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/thanks") {
				t.Errorf("browser %d after submit: got %s, want the thank-you page", i+1, loc)
			}
		} else {
			run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#form-alert:not([hidden])")))
			if got := run(t, ctx, chromedp.Text(chromedp.CSS("#form-alert"))); got != want {
				t.Errorf("browser %d after submit: got %q, want %q", i+1, got, want)
			}
			// The refused POST is a 409 in the console; nothing else may complain.
			if p := problems(); len(p) > 1 || len(p) == 1 && !strings.Contains(p[0], "409") {
				t.Errorf("browser %d console: %v", i+1, p)
			}
		}
		if i == 0 {
			if p := problems(); len(p) > 0 {
				t.Errorf("browser 1 console: %v", p)
			}
		}
	}
	if a, x := w.counts(); a != 2 || x != 2 {
		t.Errorf("stand-in calls: got %d authorize, %d exchanges; want 2 and 2", a, x)
	}
	if n := e.storedResponses(); n != 1 {
		t.Errorf("stored responses: got %d, want 1", n)
	}
}
