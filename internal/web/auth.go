package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/store"
	"minyi/internal/survey"
)

const tokenKey = "minyi.token"

// bearer returns the token the request carries, if any. A malformed or unknown token
// is an error, never silently anonymous.
func (s *Server) bearer(c echo.Context) (*store.Token, error) {
	h := c.Request().Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	plain, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil, errUnauthorized
	}
	t, err := s.store.TokenBySecret(c.Request().Context(), strings.TrimSpace(plain))
	if errors.Is(err, survey.ErrNotFound) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

var errUnauthorized = newError(http.StatusUnauthorized, "unauthorized", "需要有效的访问令牌")

// requireToken admits only requests with a valid bearer token.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		t, err := s.bearer(c)
		if err != nil {
			return err
		}
		if t == nil {
			return errUnauthorized
		}
		c.Set(tokenKey, t)
		return next(c)
	}
}

// optionalToken records the bearer token when there is one.
func (s *Server) optionalToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		t, err := s.bearer(c)
		if err != nil {
			return err
		}
		if t != nil {
			c.Set(tokenKey, t)
		}
		return next(c)
	}
}

func tokenOf(c echo.Context) *store.Token {
	t, _ := c.Get(tokenKey).(*store.Token)
	return t
}

// deviceCookie names the signed cookie that tells one resident's browser from another.
const deviceCookie = "minyi_device"

// device returns the id of the resident's device from its signed cookie, issuing a new
// cookie when there is none or it does not verify.
func (s *Server) device(c echo.Context) string {
	if ck, err := c.Cookie(deviceCookie); err == nil {
		if id, sig, ok := strings.Cut(ck.Value, "."); ok && hmac.Equal([]byte(sig), []byte(s.sign("device", id))) {
			return id
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{
		Name:     deviceCookie,
		Value:    id + "." + s.sign("device", id),
		Path:     "/",
		MaxAge:   int((400 * 24 * time.Hour).Seconds()),
		HttpOnly: true,
		Secure:   strings.HasPrefix(s.cfg.BaseURL, "https://"),
		SameSite: http.SameSiteLaxMode,
	})
	return id
}

// deviceHash is the keyed hash stored with a response instead of the device id.
func (s *Server) deviceHash(id string) string {
	return s.sign("device-hash", id)
}

func (s *Server) sign(purpose, value string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte(purpose + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
