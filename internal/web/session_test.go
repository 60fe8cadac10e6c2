package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi/internal/account"
	"minyi/internal/config"
	"minyi/internal/store"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", account.Official, street1)
	gone := newUser(t, e.store, "gone", account.Volunteer, "")
	off := true
	if _, err := e.store.UpdateUser(context.Background(), gone.Username, store.UserChange{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, username, password string
		status                   int
		want                     string // in the page, or the redirect target
	}{
		{"right password", "jd1", testPassword, 303, "/dashboard"},
		{"wrong password", "jd1", "wrong password", 401, "用户名或密码错误"},
		{"unknown user", "nobody", testPassword, 401, "用户名或密码错误"},
		{"disabled user", "gone", testPassword, 401, "用户名或密码错误"},
		{"admin lands on admin pages", "admin", testPassword, 303, "/admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.anonClient()
			res, page := c.login(tc.username, tc.password)
			if res.StatusCode != tc.status {
				t.Fatalf("got %d, want %d", res.StatusCode, tc.status)
			}
			if tc.status == 303 {
				if got := res.Header.Get("Location"); got != tc.want {
					t.Errorf("redirect: got %q, want %q", got, tc.want)
				}
				ck := cookieOf(res, sessionCookie)
				if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
					t.Errorf("session cookie: got %+v, want HttpOnly and SameSite=Lax", ck)
				}
				return
			}
			if !strings.Contains(page, tc.want) || cookieOf(res, sessionCookie) != nil {
				t.Errorf("page: want %q and no session cookie", tc.want)
			}
		})
	}
	events, err := e.store.AuditEvents(context.Background(), store.AuditFilter{Action: "login."})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]bool{}
	for _, ev := range events {
		reasons[ev.Target+":"+ev.Detail["reason"].(string)] = true
	}
	for _, want := range []string{"jd1:password", "nobody:unknown_user", "gone:disabled"} {
		if !reasons[want] {
			t.Errorf("audit: no login.failed event %s in %v", want, reasons)
		}
	}
}

func TestLoginNeedsFormToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	c := e.anonClient()
	res, _ := c.postForm("/login", url.Values{"username": {"admin"}, "password": {testPassword}})
	if res.StatusCode != 403 || cookieOf(res, sessionCookie) != nil {
		t.Errorf("login without its form token: got %d, want 403 and no session", res.StatusCode)
	}
}

func TestLoginLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.Limits.LoginPerUser, c.Limits.LoginPerIP = 3, 5 })
	newUser(t, e.store, "jd1", account.Official, street1)
	c := e.anonClient()
	for i := range 3 {
		if res, _ := c.login("jd1", "wrong password"); res.StatusCode != 401 {
			t.Fatalf("attempt %d: got %d, want 401", i+1, res.StatusCode)
		}
	}
	// The account's budget is spent: even the right password waits.
	res, page := c.login("jd1", testPassword)
	if res.StatusCode != 429 || !strings.Contains(page, "登录尝试过于频繁") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("4th attempt: got %d, want 429 with a Chinese message and Retry-After", res.StatusCode)
	}
	// Other accounts from the same IP have 5 - 4 = 1 attempt left, then the IP is spent.
	if res, _ := c.login("admin", testPassword); res.StatusCode != 303 {
		t.Errorf("other account: got %d, want 303", res.StatusCode)
	}
	if res, _ := e.anonClient().login("admin", testPassword); res.StatusCode != 429 {
		t.Errorf("over the IP budget: got %d, want 429", res.StatusCode)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.SessionIdle, c.SessionMax = time.Hour, 3*time.Hour })
	newUser(t, e.store, "jd1", account.Official, street1)
	now := time.Now()
	e.srv.now = func() time.Time { return now }
	path := "/api/v1/indicators?survey=chuangwen&area=" + street1
	c := e.signIn("jd1")
	for _, step := range []struct {
		name   string
		after  time.Duration // since sign-in
		status int
	}{
		{"in use", 50 * time.Minute, 200},
		{"used again within the idle limit", 100 * time.Minute, 200},
		{"still within the idle limit", 150 * time.Minute, 200},
		{"past the absolute limit though used", 181 * time.Minute, 401},
	} {
		now = time.Now().Add(step.after)
		if res, body := c.get(path); res.StatusCode != step.status {
			t.Errorf("%s: got %d %s, want %d", step.name, res.StatusCode, body, step.status)
		}
	}
	now = time.Now()
	c = e.signIn("jd1")
	now = now.Add(61 * time.Minute)
	if res, _ := c.get(path); res.StatusCode != 401 {
		t.Errorf("idle for 61 minutes: got %d, want 401", res.StatusCode)
	}
}

func TestLogoutAndCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	c := e.signIn("admin")
	// A state-changing request of a session needs the session's CSRF token.
	for _, tc := range []struct {
		name  string
		form  url.Values
		want  int
		where string
	}{
		{"no token", url.Values{}, 403, "/logout"},
		{"wrong token", url.Values{"_csrf": {"x" + c.CSRF}}, 403, "/logout"},
	} {
		res, _ := c.postForm(tc.where, tc.form)
		if res.StatusCode != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, res.StatusCode, tc.want)
		}
	}
	if res, _ := c.get("/api/v1/me"); res.StatusCode != 200 {
		t.Fatalf("refused logouts must leave the session alone: got %d", res.StatusCode)
	}
	// The JSON API takes the token in a header.
	req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/responses", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	if res, body := c.do(req); res.StatusCode != 403 || !strings.Contains(body, `"csrf"`) {
		t.Errorf("API write without X-CSRF-Token: got %d %s, want 403 csrf", res.StatusCode, body)
	}
	res, _ := c.postForm("/logout", c.csrfForm(nil))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: got %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := c.get("/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("after logout: got %d, want 401", res.StatusCode)
	}
}

func TestDisabledUserLosesAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	token := newToken(t, e.store, "jd1", account.Official, street1)
	c := e.signIn("jd1")
	off := true
	if _, err := e.store.UpdateUser(context.Background(), "jd1", store.UserChange{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	if res, _ := c.get("/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("session of a disabled user: got %d, want 401", res.StatusCode)
	}
	if res, _ := e.do("GET", "/api/v1/me", nil, bearer(token)...); res.StatusCode != 401 {
		t.Errorf("token of a disabled user: got %d, want 401", res.StatusCode)
	}
}
