package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// deviceCookie names the signed cookie that tells one resident's browser from another.
const deviceCookie = "minyi_device"

// device returns the id of the resident's device from its signed cookie, issuing a new
// cookie when there is none or it does not verify; inside WeChat, once known, the
// resident's openid (its keyed hash) is the device.
func (s *Server) device(c echo.Context) string {
	if id, ok := s.wechatIdentity(c); ok {
		return id // inside WeChat, the openid stands for the device (wechat.go)
	}
	if ck, err := c.Cookie(deviceCookie); err == nil {
		if id, sig, ok := strings.Cut(ck.Value, "."); ok && hmac.Equal([]byte(sig), []byte(s.sign("device", id))) {
			return id
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(s.cookie(deviceCookie, id+"."+s.sign("device", id), 400*24*time.Hour))
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
