package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/internal/config"
)

// wechatUA is the User-Agent of WeChat's in-app browser on an Android phone.
const wechatUA = "Mozilla/5.0 (Linux; Android 12; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) " +
	"Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230303 MMWEBID/9512 " +
	"MicroMessenger/8.0.34.2340(0x2800225B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"

// wechatStandIn plays WeChat's two OAuth endpoints for snsapi_base: authorize sends
// the browser back with a code for the WeChat user signed in on the "phone" (openid),
// access_token exchanges the code for that openid, or fails as mode says.
type wechatStandIn struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	openid    string
	mode      string // "": answer; "error": an error reply; "slow": no answer in time
	authorize int
	exchanges int
}

const (
	wechatAppID  = "wx0123456789abcdef"
	wechatSecret = "test-secret"
)

func newWeChatStandIn(t *testing.T) *wechatStandIn {
	w := &wechatStandIn{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connect/oauth2/authorize", func(rw http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.mu.Lock()
		w.authorize++
		code := "code-" + w.openid
		w.mu.Unlock()
		if q.Get("appid") != wechatAppID || q.Get("scope") != "snsapi_base" || q.Get("response_type") != "code" ||
			q.Get("state") == "" || !strings.HasSuffix(q.Get("redirect_uri"), "/wx/callback") {
			http.Error(rw, "bad authorize request: "+r.URL.RawQuery, 400)
			return
		}
		back := q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
		http.Redirect(rw, r, back, http.StatusFound)
	})
	mux.HandleFunc("GET /sns/oauth2/access_token", func(rw http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.mu.Lock()
		w.exchanges++
		mode := w.mode
		w.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		switch {
		case q.Get("appid") != wechatAppID || q.Get("secret") != wechatSecret || q.Get("grant_type") != "authorization_code":
			fmt.Fprint(rw, `{"errcode":40125,"errmsg":"invalid appsecret"}`)
		case mode == "error":
			fmt.Fprint(rw, `{"errcode":40029,"errmsg":"invalid code"}`)
		case mode == "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			openid, _ := strings.CutPrefix(q.Get("code"), "code-")
			fmt.Fprintf(rw, `{"access_token":"ACCESS","expires_in":7200,"refresh_token":"REFRESH","openid":%q,"scope":"snsapi_base"}`, openid)
		}
	})
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

// as makes openid the WeChat user on the phone, with WeChat answering as mode says.
func (w *wechatStandIn) as(openid, mode string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.openid, w.mode = openid, mode
}

// counts returns how often authorize and access_token were called.
func (w *wechatStandIn) counts() (int, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.authorize, w.exchanges
}

// wechatEnv is a server with WeChat configured against the stand-in, logging into logs.
func wechatEnv(t *testing.T) (*testEnv, *wechatStandIn, *syncBuffer) {
	w := newWeChatStandIn(t)
	e := newEnv(t, nil, func(c *config.Config) {
		c.WeChat = config.WeChat{AppID: wechatAppID, Secret: wechatSecret, OpenURL: w.srv.URL, APIURL: w.srv.URL,
			Timeout: 300 * time.Millisecond}
	})
	logs := &syncBuffer{}
	e.srv.log = slog.New(slog.NewTextHandler(logs, nil))
	return e, w, logs
}

// phone is a resident's browser: its own cookies, a User-Agent, following redirects.
type phone struct {
	e      *testEnv
	client *http.Client
	ua     string
}

func (e *testEnv) phone(ua string) *phone {
	jar, _ := cookiejar.New(nil)
	return &phone{e: e, client: &http.Client{Jar: jar}, ua: ua}
}

func (p *phone) get(u string) (*http.Response, string) {
	p.e.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("User-Agent", p.ua)
	return p.do(req)
}

func (p *phone) do(req *http.Request) (*http.Response, string) {
	p.e.t.Helper()
	res, err := p.client.Do(req)
	if err != nil {
		p.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// answer opens the form of community1 as a resident does and sends it back without
// JavaScript, with every hidden field of the page: the final status and URL path.
func (p *phone) answer() (int, string) {
	p.e.t.Helper()
	form := p.e.http.URL + "/s/chuangwen/" + community1
	res, page := p.get(form)
	if res.StatusCode != 200 || res.Request.URL.String() != form {
		p.e.t.Fatalf("form: got %d at %s, want 200 at %s", res.StatusCode, res.Request.URL, form)
	}
	values := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(page, -1) {
		values.Set(m[1], m[2])
	}
	for q, o := range fullAnswers(p.e.def) {
		values.Set(q, o.(string))
	}
	req, _ := http.NewRequest("POST", form, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", p.ua)
	res, _ = p.do(req)
	return res.StatusCode, res.Request.URL.Path
}

func (p *phone) cookie(name string) string {
	u, _ := url.Parse(p.e.http.URL)
	for _, c := range p.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (e *testEnv) storedResponses() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM responses`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestWeChatOff: without an official account configured, WeChat's browser gets the
// form as any other, and the callback does not exist.
func TestWeChatOff(t *testing.T) {
	e := newEnv(t, nil, nil)
	p := e.phone(wechatUA)
	if status, path := p.answer(); status != 200 || !strings.HasSuffix(path, "/thanks") {
		t.Errorf("answer: got %d at %s, want the thank-you page", status, path)
	}
	if res, _ := p.get(e.http.URL + "/wx/callback?code=x&state=y"); res.StatusCode != 404 {
		t.Errorf("callback: got %d, want 404", res.StatusCode)
	}
}

// TestWeChatOneAnswerPerOpenID: inside WeChat the form goes through silent OAuth and
// allows one response per openid, from whichever browser; outside WeChat nothing changes.
func TestWeChatOneAnswerPerOpenID(t *testing.T) {
	e, w, _ := wechatEnv(t)
	// Outside WeChat: the form at once.
	if res, _ := e.send("GET", "/s/chuangwen/"+community1, nil, "User-Agent", "Mozilla/5.0 (iPhone) Safari/604.1"); res.StatusCode != 200 {
		t.Errorf("outside WeChat: got %d, want 200", res.StatusCode)
	}
	// Inside: to WeChat's authorize page, asking for snsapi_base with a signed state.
	res, _ := e.send("GET", "/s/chuangwen/"+community1, nil, "User-Agent", wechatUA)
	loc := res.Header.Get("Location")
	wantPrefix := w.srv.URL + "/connect/oauth2/authorize?appid=" + wechatAppID + "&redirect_uri=" +
		url.QueryEscape(e.http.URL+"/wx/callback") + "&response_type=code&scope=snsapi_base&state="
	if res.StatusCode != 302 || !strings.HasPrefix(loc, wantPrefix) || !strings.HasSuffix(loc, "#wechat_redirect") {
		t.Fatalf("inside WeChat: got %d to %s, want 302 to %s…#wechat_redirect", res.StatusCode, loc, wantPrefix)
	}

	for _, tc := range []struct {
		name, openid string
		status       int
		path         string
	}{
		{"first answer", "oAbc-resident-1", 200, "/thanks"},
		{"the same WeChat user in another browser", "oAbc-resident-1", 409, "/s/chuangwen/" + community1},
		{"another WeChat user", "oXyz-resident-2", 200, "/thanks"},
	} {
		w.as(tc.openid, "")
		p := e.phone(wechatUA)
		status, path := p.answer()
		if status != tc.status || !strings.HasSuffix(path, tc.path) {
			t.Errorf("%s: got %d at %s, want %d at …%s", tc.name, status, path, tc.status, tc.path)
		}
		ck := p.cookie(wechatCookie)
		if ck == "" || strings.Contains(ck, tc.openid) || p.cookie(deviceCookie) != "" {
			t.Errorf("%s: got cookies %s=%q, %s=%q; want a keyed hash of the openid and no device cookie",
				tc.name, wechatCookie, ck, deviceCookie, p.cookie(deviceCookie))
		}
	}
	if n := e.storedResponses(); n != 2 {
		t.Errorf("stored responses: got %d, want 2", n)
	}
	if a, x := w.counts(); a != 3 || x != 3 {
		t.Errorf("stand-in calls: got %d authorize, %d exchanges; want 3 and 3", a, x)
	}

	// A forged cookie is not an identity: the browser goes to WeChat again.
	res, _ = e.send("GET", "/s/chuangwen/"+community1, nil, "User-Agent", wechatUA, "Cookie", wechatCookie+"=forged.00")
	if res.StatusCode != 302 {
		t.Errorf("forged cookie: got %d, want 302 to WeChat", res.StatusCode)
	}
	state, _ := url.ParseQuery(strings.TrimSuffix(loc[strings.Index(loc, "?")+1:], "#wechat_redirect"))
	for _, tc := range []struct{ name, state string }{
		{"tampered state", strings.Replace(state.Get("state"), ".", "x.", 1)},
		{"no state", ""},
	} {
		res, body := e.send("GET", "/wx/callback?"+url.Values{"code": {"code-o1"}, "state": {tc.state}}.Encode(), nil)
		if res.StatusCode != 400 || !strings.Contains(string(body), "重新扫码") {
			t.Errorf("%s: got %d %s, want 400", tc.name, res.StatusCode, body)
		}
	}
}

// TestWeChatFailureFallsBack: when WeChat answers with an error or not in time, the
// resident still answers, with the device cookie as outside WeChat, and it is logged.
func TestWeChatFailureFallsBack(t *testing.T) {
	e, w, logs := wechatEnv(t)
	for i, mode := range []string{"error", "slow"} {
		w.as("oFail", mode)
		p := e.phone(wechatUA)
		start := time.Now()
		status, path := p.answer()
		if status != 200 || !strings.HasSuffix(path, "/thanks") {
			t.Errorf("%s: got %d at %s, want the thank-you page", mode, status, path)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: took %v, want the exchange given up after its timeout", mode, took)
		}
		if p.cookie(wechatCookie) != "" || p.cookie(wechatSkipCookie) == "" || p.cookie(deviceCookie) == "" {
			t.Errorf("%s: got cookies wx=%q skip=%q device=%q, want the device cookie standing in", mode,
				p.cookie(wechatCookie), p.cookie(wechatSkipCookie), p.cookie(deviceCookie))
		}
		// The device cookie rule still holds: the same browser cannot answer twice.
		if status, _ := p.answer(); status != 409 {
			t.Errorf("%s, second answer from the same browser: got %d, want 409", mode, status)
		}
		if n := e.storedResponses(); n != i+1 {
			t.Errorf("%s: stored responses got %d, want %d", mode, n, i+1)
		}
	}
	if got := strings.Count(logs.String(), "wechat: no openid"); got != 2 {
		t.Errorf("log lines: got %d, want 2 in\n%s", got, logs.String())
	}
}
