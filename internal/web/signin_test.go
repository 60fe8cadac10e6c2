package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// staffClient is a browser-like client signed in as one user: it keeps the session
// cookie and knows the session's CSRF token.
type staffClient struct {
	e    *testEnv
	http *http.Client
	CSRF string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn signs username in through the login form with testPassword.
func (e *testEnv) signIn(username string) *staffClient {
	e.t.Helper()
	c := e.anonClient()
	res, _ := c.login(username, testPassword)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: got %d, want 303", username, res.StatusCode)
	}
	res, body := c.get("/api/v1/me")
	var me meReply
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &me) != nil || me.CSRF == "" {
		e.t.Fatalf("me after sign-in: got %d %s", res.StatusCode, body)
	}
	c.CSRF = me.CSRF
	return c
}

// login posts the sign-in form with a fresh login CSRF token.
func (c *staffClient) login(username, password string) (*http.Response, string) {
	c.e.t.Helper()
	res, page := c.get("/login")
	m := csrfField.FindStringSubmatch(page)
	if res.StatusCode != 200 || m == nil {
		c.e.t.Fatalf("login page: got %d without a CSRF field", res.StatusCode)
	}
	return c.postForm("/login", url.Values{"_csrf": {m[1]}, "username": {username}, "password": {password}})
}

func (c *staffClient) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return res, string(raw)
}

// get fetches path.
func (c *staffClient) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.http.URL+path, nil)
	return c.do(req)
}

// postForm posts a form as is: add "_csrf" to form for the session's token.
func (c *staffClient) postForm(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// csrfForm is form with the session's CSRF token added.
func (c *staffClient) csrfForm(form url.Values) url.Values {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.CSRF)
	return form
}

func TestSignInHelper(t *testing.T) {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	c := e.signIn("jd1")
	res, body := c.get("/api/v1/indicators?survey=chuangwen&area=" + street1)
	if res.StatusCode != 200 {
		t.Errorf("indicators in the session's scope: got %d %s, want 200", res.StatusCode, body)
	}
}

// anonClient is a browser-like client that has not signed in.
func (e *testEnv) anonClient() *staffClient {
	jar, _ := cookiejar.New(nil)
	return &staffClient{e: e, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// cookieOf returns the cookie a response sets, or nil.
func cookieOf(res *http.Response, name string) *http.Cookie {
	for _, ck := range res.Cookies() {
		if ck.Name == name && ck.MaxAge >= 0 {
			return ck
		}
	}
	return nil
}
