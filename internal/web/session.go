package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// loginCookie carries the CSRF token of the sign-in form, before there is a session.
const loginCookie = "minyi_login"

type loginPage struct {
	Title, Username, Next, CSRF, Error string
}

// home handles GET /: the signed-in user's start page, else the sign-in page.
func (s *Server) home(c echo.Context) error {
	if p := principalOf(c); p != nil {
		return c.Redirect(http.StatusSeeOther, homeOf(p.Role))
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// loginForm handles GET /login.
func (s *Server) loginForm(c echo.Context) error {
	if p := principalOf(c); p != nil && p.TokenID == 0 {
		return c.Redirect(http.StatusSeeOther, homeOf(p.Role))
	}
	return s.renderLogin(c, http.StatusOK, loginPage{Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) renderLogin(c echo.Context, status int, page loginPage) error {
	token, err := randomToken()
	if err != nil {
		return err
	}
	c.SetCookie(s.cookie(loginCookie, token, time.Hour))
	page.Title, page.CSRF = "登录", token
	return s.render(c, status, "login.html", page)
}

const errBadLogin = "用户名或密码错误"

// login handles POST /login: a generic refusal for any bad username or password,
// limited per account and per client IP. Refusals are audited once per window and
// limited key (see auditRefusal); sign-ins always.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	username := strings.TrimSpace(c.FormValue("username"))
	password := c.FormValue("password")
	page := loginPage{Username: clip(username, maxAuditName), Next: safeNext(c.FormValue("next"))}
	ck, err := c.Cookie(loginCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.FormValue("_csrf"))) != 1 {
		page.Error = "页面已过期，请重新输入后登录"
		return s.renderLogin(c, http.StatusForbidden, page)
	}
	if wait, key, ok := s.loginAllowed(c, username); !ok {
		page.Error = fmt.Sprintf("登录尝试过于频繁，请 %d 分钟后再试", int(wait.Minutes())+1)
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		s.auditRefusal(c, "login.limited", key, username, nil)
		return s.renderLogin(c, http.StatusTooManyRequests, page)
	}
	u, err := s.store.UserByName(ctx, username)
	found := err == nil
	if err != nil && !errors.Is(err, survey.ErrNotFound) {
		return err
	}
	// The password is compared first, against a stand-in hash when there is no such
	// user, so that an unknown or disabled account takes as long to refuse as a
	// wrong password.
	hash := account.DummyHash
	if found {
		hash = u.PasswordHash
	}
	same := s.samePassword(hash, password)
	if !found || u.Disabled || !same {
		reason := "password"
		if !found {
			reason = "unknown_user"
		} else if u.Disabled {
			reason = "disabled"
		}
		s.auditRefusal(c, "login.failed", "user:"+strings.ToLower(clip(username, maxAuditName))+"@"+clientNet(c.RealIP()),
			username, map[string]any{"reason": reason})
		page.Error = errBadLogin
		return s.renderLogin(c, http.StatusUnauthorized, page)
	}
	plain, err := s.store.CreateSession(ctx, u.ID, c.RealIP(), s.now(), s.cfg.SessionMax)
	if err != nil {
		return err
	}
	c.SetCookie(s.cookie(sessionCookie, plain, s.cfg.SessionMax))
	c.SetCookie(s.cookie(loginCookie, "", -1))
	s.audit(c, &principal{User: u}, "login", u.AreaCode, u.Username, nil)
	next := page.Next
	if next == "" {
		next = homeOf(u.Role)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// loginWindow is the period of the sign-in budgets, and of the audit of refusals.
const loginWindow = 15 * time.Minute

// loginAllowed spends one sign-in attempt of the account's and of the client IP's
// budgets, and says how long to wait and which budget is spent when either is.
func (s *Server) loginAllowed(c echo.Context, username string) (time.Duration, string, bool) {
	ctx := c.Request().Context()
	per := func(n int) ratelimit.Limit { return ratelimit.Limit{Rate: n, Period: loginWindow, Burst: n} }
	for _, k := range []struct {
		key string
		n   int
	}{
		{"login-ip:" + clientKey(c), s.cfg.Limits.LoginPerIP},
		{"login-user:" + strings.ToLower(clip(username, maxAuditName)), s.cfg.Limits.LoginPerUser},
	} {
		if d := s.limiter.Allow(ctx, k.key, per(k.n)); !d.Allowed {
			s.metrics.RateLimited("login")
			return d.RetryAfter, k.key, false
		}
	}
	return 0, "", true
}

// logout handles POST /logout.
func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.store.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	if p := principalOf(c); p != nil {
		s.audit(c, p, "logout", p.AreaCode, p.Username, nil)
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(s.cookie(sessionCookie, "", -1))
}

// cookie is an HttpOnly, SameSite=Lax cookie, Secure when the service is reached over
// TLS. A negative maxAge deletes it.
func (s *Server) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	age := int(maxAge.Seconds())
	if maxAge < 0 {
		age = -1
	}
	return &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: age, HttpOnly: true,
		Secure: strings.HasPrefix(s.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode,
	}
}

// homeOf is where a user lands after signing in.
func homeOf(r account.Role) string {
	switch r {
	case account.Admin:
		return "/admin"
	case account.Volunteer:
		return "/v/"
	}
	return "/dashboard"
}

// randomToken is 32 random bytes, URL-safe.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// audit records an action in the audit log. Failing to record is logged, not shown:
// the action itself already happened.
func (s *Server) audit(c echo.Context, p *principal, action, scope, target string, detail map[string]any) {
	e := store.AuditEvent{Action: action, Scope: scope, Target: target, Detail: detail, IP: c.RealIP()}
	if p != nil {
		e.UserID, e.Username = &p.ID, p.Username
	} else {
		e.Username = target
	}
	if err := s.store.Audit(c.Request().Context(), e); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}
