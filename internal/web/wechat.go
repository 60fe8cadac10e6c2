package web

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/survey"
)

// Inside WeChat, when an official account is configured, a resident is known by the
// openid WeChat's silent OAuth (snsapi_base) gives: the form sends the browser to
// WeChat once, WeChat sends it back to /wx/callback with a code, and the code is
// exchanged for the openid. Only a keyed hash of the openid is kept, in a signed
// cookie, and it stands in for the device cookie: the one-response-per-device-per-round
// rule then allows one response per openid per round, whichever browser or phone
// cache it comes from. When WeChat fails (an error reply, no answer in time), the
// resident is not locked out: the form goes on with the device cookie, as outside
// WeChat, and the failure is logged.
const (
	wechatCookie     = "minyi_wx"      // the signed keyed hash of the resident's openid
	wechatSkipCookie = "minyi_wx_skip" // WeChat failed lately: the device cookie stands in
	wechatStateTTL   = 10 * time.Minute
	wechatSkipFor    = 10 * time.Minute
	wechatStateMax   = 128 // the longest state WeChat passes back
)

var errWeChatState = newError(400, "bad_request", "链接已失效，请重新扫码打开问卷")

// inWeChat reports whether the request comes from WeChat's in-app browser.
func inWeChat(r *http.Request) bool { return strings.Contains(r.UserAgent(), "MicroMessenger") }

// wechatIdentity returns the resident's identity from the signed openid cookie, if
// WeChat is configured and the cookie verifies.
func (s *Server) wechatIdentity(c echo.Context) (string, bool) {
	if !s.cfg.WeChat.Enabled() {
		return "", false
	}
	ck, err := c.Cookie(wechatCookie)
	if err != nil {
		return "", false
	}
	hash, sig, ok := strings.Cut(ck.Value, ".")
	if !ok || hash == "" || !hmac.Equal([]byte(sig), []byte(s.sign("wechat", hash))) {
		return "", false
	}
	return "wx:" + hash, true
}

// wechatAuthorize returns where to send a resident opening the form inside WeChat
// who has no openid cookie yet: WeChat's silent OAuth, with a signed state naming the
// form to come back to. It returns "" when WeChat is not configured, the browser is
// not WeChat's, the resident is known already, or WeChat failed lately.
func (s *Server) wechatAuthorize(c echo.Context) string {
	w := s.cfg.WeChat
	if !w.Enabled() || !inWeChat(c.Request()) {
		return ""
	}
	if _, ok := s.wechatIdentity(c); ok {
		return ""
	}
	if _, err := c.Cookie(wechatSkipCookie); err == nil {
		return ""
	}
	path := base64.RawURLEncoding.EncodeToString([]byte(c.Request().URL.Path))
	payload := path + "." + strconv.FormatInt(s.now().Add(wechatStateTTL).Unix(), 10)
	state := payload + "." + s.sign("wechat-state", payload)
	if len(state) > wechatStateMax {
		s.log.Warn("wechat: form path too long for an OAuth state; the device cookie stands in", "path", c.Request().URL.Path)
		return ""
	}
	q := url.Values{ // WeChat wants these in this order, which is also Encode's
		"appid":         {w.AppID},
		"redirect_uri":  {s.cfg.BaseURL + "/wx/callback"},
		"response_type": {"code"},
		"scope":         {"snsapi_base"},
		"state":         {state},
	}
	return w.OpenURL + "/connect/oauth2/authorize?" + q.Encode() + "#wechat_redirect"
}

// wechatState verifies a state made by wechatAuthorize and returns the form path.
func (s *Server) wechatState(state string) (string, bool) {
	parts := strings.Split(state, ".") // path, expiry, signature
	if len(parts) != 3 || !hmac.Equal([]byte(parts[2]), []byte(s.sign("wechat-state", parts[0]+"."+parts[1]))) {
		return "", false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || s.now().Unix() > exp {
		return "", false
	}
	path, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || !strings.HasPrefix(string(path), "/s/") {
		return "", false
	}
	return string(path), true
}

// wechatCallback handles GET /wx/callback?code=C&state=S, where WeChat sends the
// resident back: the code is exchanged for the openid, whose keyed hash goes into the
// signed cookie, and the resident goes on to the form. If the exchange fails the
// form goes on without it, with the device cookie, for a while.
func (s *Server) wechatCallback(c echo.Context) error {
	if !s.cfg.WeChat.Enabled() {
		return survey.ErrNotFound
	}
	path, ok := s.wechatState(c.QueryParam("state"))
	if !ok {
		return errWeChatState
	}
	hash, err := s.wechatOpenID(c.Request().Context(), c.QueryParam("code"))
	if err != nil {
		s.log.Warn("wechat: no openid; the device cookie stands in", "err", err)
		c.SetCookie(s.cookie(wechatSkipCookie, "1", wechatSkipFor))
	} else {
		c.SetCookie(s.cookie(wechatCookie, hash+"."+s.sign("wechat", hash), 400*24*time.Hour))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, path)
}

// wechatOpenID exchanges an OAuth code for the resident's openid at WeChat and
// returns the openid's keyed hash; the openid itself goes no further.
func (s *Server) wechatOpenID(ctx context.Context, code string) (string, error) {
	w := s.cfg.WeChat
	if code == "" {
		return "", errors.New("no code")
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	q := url.Values{"appid": {w.AppID}, "secret": {w.Secret}, "code": {code}, "grant_type": {"authorization_code"}}
	req, err := http.NewRequestWithContext(ctx, "GET", w.APIURL+"/sns/oauth2/access_token?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var reply struct {
		OpenID  string `json:"openid"`
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&reply); err != nil {
		return "", fmt.Errorf("HTTP %d: %w", res.StatusCode, err)
	}
	if reply.ErrCode != 0 || reply.OpenID == "" {
		return "", fmt.Errorf("errcode %d: %s", reply.ErrCode, reply.ErrMsg)
	}
	return s.sign("wechat-openid", w.AppID+"\x00"+reply.OpenID), nil
}
