package config

import (
	"errors"
	"net/url"
	"strings"
	"time"
)

// WeChat is the official account whose silent OAuth (snsapi_base) tells residents
// inside WeChat apart by openid. Without an AppID and a secret it is off.
type WeChat struct {
	AppID  string
	Secret string
	// OpenURL serves /connect/oauth2/authorize, APIURL /sns/oauth2/access_token:
	// WeChat's own, unless pointed elsewhere (a local stand-in in tests).
	OpenURL string
	APIURL  string
	Timeout time.Duration // how long the code exchange may take before the form goes on without it
}

// Enabled reports whether residents inside WeChat are identified by openid.
func (w WeChat) Enabled() bool { return w.AppID != "" && w.Secret != "" }

// loadWeChat reads MINYI_WECHAT_APPID, _SECRET, _OPEN_URL, _API_URL and _TIMEOUT.
func loadWeChat(get func(key, def string) string) (WeChat, error) {
	w := WeChat{
		AppID:   get("MINYI_WECHAT_APPID", ""),
		Secret:  get("MINYI_WECHAT_SECRET", ""),
		OpenURL: strings.TrimRight(get("MINYI_WECHAT_OPEN_URL", "https://open.weixin.qq.com"), "/"),
		APIURL:  strings.TrimRight(get("MINYI_WECHAT_API_URL", "https://api.weixin.qq.com"), "/"),
	}
	var errs []error
	if (w.AppID == "") != (w.Secret == "") {
		errs = append(errs, errors.New("MINYI_WECHAT_APPID and MINYI_WECHAT_SECRET must be set together"))
	}
	for _, u := range []string{w.OpenURL, w.APIURL} {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			errs = append(errs, errors.New("MINYI_WECHAT_OPEN_URL and MINYI_WECHAT_API_URL must be http(s) URLs"))
			break
		}
	}
	var err error
	if w.Timeout, err = time.ParseDuration(get("MINYI_WECHAT_TIMEOUT", "3s")); err != nil || w.Timeout <= 0 {
		errs = append(errs, errors.New("MINYI_WECHAT_TIMEOUT must be a positive duration such as 3s"))
	}
	return w, errors.Join(errs...)
}
