package web

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// deviceCookie names the signed cookie that tells one resident's browser from another.
const deviceCookie = "minyi_device"

// residentIdentity is who a resident is to the intake: an opaque string that form
// tokens are bound to and that one response per round is allowed for. It is the keyed
// hash of the device cookie, which is set when the request has none.
func (s *Server) residentIdentity(c echo.Context) string {
	return s.deviceHash(s.device(c))
}

// device returns the id of the resident's device from its signed cookie, issuing a new
// cookie when there is none or it does not verify; inside WeChat, once known, the
// resident's openid (its keyed hash) is the device.
func (s *Server) device(c echo.Context) string {
	if id, ok := s.wechatIdentity(c); ok {
		return id // inside WeChat, the openid stands for the device (wechat.go)
	}
	if ck, err := c.Cookie(deviceCookie); err == nil {
		if id, sig, ok := strings.Cut(ck.Value, "."); ok && s.key.Verify("device", id, sig) {
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
	return s.key.Sum(purpose, value)
}
