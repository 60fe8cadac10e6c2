package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/intake"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// principal is who a request comes from: a user signed in through a session (with the
// CSRF token its writes must carry) or through an API token.
type principal struct {
	store.User
	TokenID int64  // the API token used; 0 for a session
	CSRF    string // the session's CSRF token; "" for an API token
}

// sees reports whether the area lies within the principal's jurisdiction: anywhere
// for an admin, the subtree of their area for an official. Volunteers have no
// jurisdiction to read; what they may enter is decided by their assignments.
func (p *principal) sees(a area.Area) bool {
	switch p.Role {
	case account.Admin:
		return true
	case account.Official:
		return p.AreaPath != "" && strings.HasPrefix(a.Path, p.AreaPath)
	}
	return false
}

// entrant is the principal as the intake knows a signed-in user entering answers.
func (p *principal) entrant() *intake.Entrant {
	return &intake.Entrant{User: p.User, TokenID: p.TokenID}
}

const principalKey = "minyi.principal"

func principalOf(c echo.Context) *principal {
	p, _ := c.Get(principalKey).(*principal)
	return p
}

// sessionCookie names the cookie of a signed-in browser.
const sessionCookie = "minyi_session"

var (
	errUnauthorized = newError(http.StatusUnauthorized, "unauthorized", "请先登录，或提供有效的访问令牌")
	errForbidden    = newError(http.StatusForbidden, "forbidden", "您的账号无权进行此操作")
	errCSRF         = newError(http.StatusForbidden, "csrf", "页面已过期，请刷新页面后重试")
)

// identify finds who the request comes from: a bearer token, else a session cookie.
// A malformed or unknown token is an error, never silently anonymous; an ended
// session is simply anonymous.
func (s *Server) identify(c echo.Context) (*principal, error) {
	ctx := c.Request().Context()
	if h := c.Request().Header.Get("Authorization"); h != "" {
		plain, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, errUnauthorized
		}
		t, err := s.store.TokenBySecret(ctx, strings.TrimSpace(plain))
		if errors.Is(err, survey.ErrNotFound) {
			return nil, errUnauthorized
		}
		if err != nil {
			return nil, err
		}
		return &principal{User: t.User, TokenID: t.ID}, nil
	}
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	ses, err := s.store.SessionBySecret(ctx, ck.Value, s.now(), s.cfg.SessionIdle)
	if errors.Is(err, survey.ErrNotFound) {
		s.clearSessionCookie(c)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &principal{User: ses.User, CSRF: ses.CSRF}, nil
}

// authenticate records who the request comes from, if anyone, and refuses a
// state-changing request of a session that does not carry the session's CSRF token
// (in the X-CSRF-Token header or the _csrf form field).
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.identify(c)
		if err != nil {
			return err
		}
		if p == nil {
			return next(c)
		}
		if p.CSRF != "" && !safeMethod(c.Request().Method) {
			got := c.Request().Header.Get("X-CSRF-Token")
			if got == "" {
				got = c.FormValue("_csrf")
			}
			if subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRF)) != 1 {
				return errCSRF
			}
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// allow admits only signed-in users with one of the roles. Anonymous requests get 401
// from the API and are sent to the sign-in page elsewhere; other roles get 403.
func allow(roles ...account.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principalOf(c)
			if p == nil {
				if wantsJSON(c) {
					return errUnauthorized
				}
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			if !slices.Contains(roles, p.Role) {
				return errForbidden
			}
			return next(c)
		}
	}
}

// staff are the roles that read figures: admins and officials.
var staff = []account.Role{account.Admin, account.Official}

func wantsJSON(c echo.Context) bool {
	req := c.Request()
	return strings.HasPrefix(req.URL.Path, "/api/") || strings.Contains(req.Header.Get("Accept"), "application/json")
}

// scopedArea returns the area with the given code if the caller may see it. An area
// outside the caller's jurisdiction is survey.ErrNotFound, exactly like one that does
// not exist. An empty code is the caller's own area (the root of the tree for admins).
func (s *Server) scopedArea(c echo.Context, code string) (area.Area, error) {
	p := principalOf(c)
	if p == nil {
		return area.Area{}, errUnauthorized
	}
	if code == "" {
		code = p.AreaCode
		if code == "" {
			return s.rootArea(c)
		}
	}
	a, err := s.cache.Area(c.Request().Context(), code)
	if err != nil {
		return area.Area{}, err
	}
	if !p.sees(a) {
		return area.Area{}, survey.ErrNotFound
	}
	return a, nil
}

// rootArea is the top of the area tree: the area an admin sees by default.
func (s *Server) rootArea(c echo.Context) (area.Area, error) {
	roots, err := s.store.Roots(c.Request().Context())
	if err != nil {
		return area.Area{}, err
	}
	if len(roots) == 0 {
		return area.Area{}, survey.ErrNotFound
	}
	return roots[0], nil
}
