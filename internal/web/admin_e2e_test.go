package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minyi/internal/account"
)

// TestAdminUsersInBrowser: an admin signs in through the sign-in page, creates an
// official through the users form and finds the new account in the list.
func TestAdminUsersInBrowser(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/admin"),
		signInAs("admin"),
		chromedp.WaitVisible(chromedp.CSS("#create-user")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/admin/users") {
		t.Errorf("after sign-in: got %s, want /admin/users", loc)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#create-user input[name=username]"), "jd_e2e"),
		chromedp.SendKeys(chromedp.CSS("#create-user input[name=display_name]"), "韩梅梅"),
		chromedp.SetValue(chromedp.CSS("#create-user select[name=role]"), "official"),
		chromedp.SetValue(chromedp.CSS("#create-user select[name=area]"), street1),
		chromedp.SendKeys(chromedp.CSS("#create-user input[name=password]"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#create-user input[name=confirm]"), testPassword),
		chromedp.Click(chromedp.CSS("#create-user button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	notice := run(t, ctx, chromedp.Text(chromedp.CSS("p.notice")))
	row := run(t, ctx, chromedp.Text(chromedp.CSS("#user-jd_e2e")))
	if notice != "已创建用户。" {
		t.Errorf("notice: got %q, want 已创建用户。", notice)
	}
	for _, want := range []string{"jd_e2e", "韩梅梅", "工作人员", "临江街道", "正常"} {
		if !strings.Contains(row, want) {
			t.Errorf("new user's row %q: missing %q", row, want)
		}
	}
	u, err := e.store.UserByName(context.Background(), "jd_e2e")
	if err != nil || u.Role != account.Official || u.AreaCode != street1 {
		t.Errorf("stored user: got %+v (%v), want an official of %s", u, err, street1)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
