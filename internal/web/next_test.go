package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/dashboard?area=1", "/dashboard?area=1"},
		{"/dashboard?survey=chuangwen&area=990100001000#top", "/dashboard?survey=chuangwen&area=990100001000#top"},
		{"/s/chuangwen/990100001001", "/s/chuangwen/990100001001"},
		{"/%E6%96%87%E6%98%8E", "/%E6%96%87%E6%98%8E"},
		{"/", "/"},
		{"", ""},
		{"dashboard", ""},
		{"//evil.example/x", ""},
		{"///evil.example", ""},
		{"https://evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"/\\evil.example", ""},
		{"\\\\evil.example", ""},
		{"/a\\b", ""},
		{"/\t/evil.example", ""},
		{"/\n/evil.example", ""},
		{"/\r/evil.example", ""},
		{"/\x00/evil.example", ""},
		{"/ /evil.example", ""},
		{" //evil.example", ""},
		{"/ok\r\nSet-Cookie: x=1", ""},
		{"/%09/evil.example", ""},
		{"/%0a/evil.example", ""},
		{"/%2F/evil.example", ""},
		{"/%2f%2fevil.example", ""},
		{"/%5Cevil.example", ""},
		{"/%5cevil.example", ""},
		{"/%00", ""},
		{"/%ff", ""},
		{"/%zz", ""},
		{"/\u3000/evil.example", ""},
		{"/\u00a0/evil.example", ""},
		{"/\u2028/evil.example", ""},
		{"/\x85/evil.example", ""},
		{"/\xff", ""},
		{"/" + strings.Repeat("a", maxNext), ""},
	} {
		if got := safeNext(tc.next); got != tc.want {
			t.Errorf("safeNext(%q): got %q, want %q", tc.next, got, tc.want)
		}
	}
}

// TestLoginNextRedirect signs in with hostile next parameters, as the query of the
// sign-in page and as the form field, and follows where the server sends the browser.
func TestLoginNextRedirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	for _, tc := range []struct{ next, want string }{
		{"/dashboard?area=" + street1, "/dashboard?area=" + street1},
		{"/\t/evil.example", "/dashboard"},
		{"//evil.example", "/dashboard"},
		{"/\\evil.example", "/dashboard"},
		{"/%09/evil.example", "/dashboard"},
		{"https://evil.example", "/dashboard"},
	} {
		t.Run(tc.next, func(t *testing.T) {
			c := e.anonClient()
			res, page := c.get("/login?next=" + url.QueryEscape(tc.next))
			m := csrfField.FindStringSubmatch(page)
			if res.StatusCode != 200 || m == nil {
				t.Fatalf("login page: got %d", res.StatusCode)
			}
			res, _ = c.postForm("/login", url.Values{"_csrf": {m[1]}, "username": {"jd1"}, "password": {testPassword}, "next": {tc.next}})
			if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != tc.want {
				t.Errorf("got %d to %q, want 303 to %q", res.StatusCode, got, tc.want)
			}
		})
	}
}
