package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/account"
	"minyi/internal/store"
)

// fingerprint sums up everything an administration page can change, so that a test
// can tell that a refused request changed nothing.
func (e *testEnv) fingerprint() string {
	e.t.Helper()
	var users, areas, rounds, versions, audits string
	err := e.pool.QueryRow(context.Background(), `
		SELECT (SELECT coalesce(md5(string_agg(u::text, ',' ORDER BY u.id)), '') FROM users u),
			(SELECT coalesce(md5(string_agg(a::text, ',' ORDER BY a.id)), '') FROM areas a),
			(SELECT coalesce(md5(string_agg(r::text, ',' ORDER BY r.id)), '') FROM rounds r),
			(SELECT count(*)::text FROM survey_versions),
			(SELECT count(*)::text FROM audit_events WHERE action NOT LIKE 'login%')`).
		Scan(&users, &areas, &rounds, &versions, &audits)
	if err != nil {
		e.t.Fatal(err)
	}
	return strings.Join([]string{users, areas, rounds, versions, audits}, "/")
}

// audited returns the audit events of an action, newest first.
func (e *testEnv) audited(action string) []store.AuditEvent {
	e.t.Helper()
	events, err := e.store.AuditEvents(context.Background(), store.AuditFilter{Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	return events
}

// adminEnv is an env with an admin, an official of street1 and a volunteer signed in.
type adminEnv struct {
	*testEnv
	admin, official, volunteer *staffClient
}

func newAdminEnv(t *testing.T) *adminEnv {
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", account.Official, street1)
	newUser(t, e.store, "zy1", account.Volunteer, "")
	return &adminEnv{testEnv: e, admin: e.signIn("admin"), official: e.signIn("jd1"), volunteer: e.signIn("zy1")}
}

func TestAdminPagesAccess(t *testing.T) {
	e := newAdminEnv(t)
	for _, path := range []string{
		"/admin", "/admin/users", "/admin/users/jd1", "/admin/areas", "/admin/surveys",
		"/admin/surveys/chuangwen/versions/1", "/admin/audit",
	} {
		for _, tc := range []struct {
			who    string
			c      *staffClient
			status int
		}{
			{"admin", e.admin, 200},
			{"official", e.official, 403},
			{"volunteer", e.volunteer, 403},
			{"anonymous", e.anonClient(), 303},
		} {
			res, body := tc.c.get(path)
			want := tc.status
			if path == "/admin" && tc.who == "admin" {
				want = 303
			}
			if res.StatusCode != want {
				t.Errorf("%s GET %s: got %d, want %d", tc.who, path, res.StatusCode, want)
				continue
			}
			switch {
			case want == 403 && !strings.Contains(body, "您的账号无权进行此操作"):
				t.Errorf("%s GET %s: got a 403 without the Chinese page: %.200s", tc.who, path, body)
			case tc.who == "anonymous" && res.Header.Get("Location") != "/login?next="+url.QueryEscape(path):
				t.Errorf("anonymous GET %s: got Location %q, want the sign-in page", path, res.Header.Get("Location"))
			case tc.who == "admin" && path == "/admin" && res.Header.Get("Location") != "/admin/users":
				t.Errorf("admin GET /admin: got Location %q, want /admin/users", res.Header.Get("Location"))
			}
		}
	}
}

// TestAdminWritesRefused sends every administration write without the session's CSRF
// token, with a wrong one, and from users who may not make it: each is refused and
// nothing changes.
func TestAdminWritesRefused(t *testing.T) {
	e := newAdminEnv(t)
	goodCSV := []byte("code,name,kind,parent_code,households,in_scope\n990100002009,新社区,community,990100002000,100,true\n")
	goodYAML := []byte(strings.Replace(defaultSurveyYAML(t), "创建全国文明城市群众满意度模拟问卷", "新标题", 1))
	writes := []struct {
		path   string
		form   url.Values
		file   []byte // sent as a multipart upload when set
		fileAs string
	}{
		{"/admin/users", url.Values{"username": {"new1"}, "role": {"volunteer"}, "password": {testPassword}, "confirm": {testPassword}}, nil, ""},
		{"/admin/users/jd1", url.Values{"display_name": {"改名"}, "role": {"official"}, "area": {street2}}, nil, ""},
		{"/admin/users/jd1/password", url.Values{"password": {"another password"}, "confirm": {"another password"}}, nil, ""},
		{"/admin/users/jd1/disable", url.Values{}, nil, ""},
		{"/admin/users/zy1/enable", url.Values{}, nil, ""},
		{"/admin/areas/import", url.Values{}, goodCSV, "areas.csv"},
		{"/admin/areas/" + community1 + "/households", url.Values{"households": {"99"}, "in_scope": {"false"}}, nil, ""},
		{"/admin/surveys/import", url.Values{}, goodYAML, "s.yaml"},
		{"/admin/surveys/chuangwen/rounds/close", url.Values{"confirm": {"1"}}, nil, ""},
		{"/admin/surveys/chuangwen/rounds", url.Values{"name": {"新一轮"}}, nil, ""},
	}
	before := e.fingerprint()
	for _, w := range writes {
		for _, tc := range []struct {
			who    string
			c      *staffClient
			csrf   string
			status int
		}{
			{"admin without _csrf", e.admin, "", 403},
			{"admin with a wrong _csrf", e.admin, otherToken(e.admin.CSRF), 403},
			{"admin with the official's _csrf", e.admin, e.official.CSRF, 403},
			{"official", e.official, e.official.CSRF, 403},
			{"volunteer", e.volunteer, e.volunteer.CSRF, 403},
			{"anonymous", e.anonClient(), "", 303},
		} {
			form := url.Values{}
			for k, v := range w.form {
				form[k] = v
			}
			if tc.csrf != "" {
				form.Set("_csrf", tc.csrf)
			}
			var res *http.Response
			var body string
			if w.file != nil {
				res, body = tc.c.postFile(w.path, form, "file", w.fileAs, w.file)
			} else {
				res, body = tc.c.postForm(w.path, form)
			}
			if res.StatusCode != tc.status {
				t.Errorf("%s POST %s: got %d, want %d: %.200s", tc.who, w.path, res.StatusCode, tc.status, body)
			}
			if tc.status == 403 && !strings.Contains(body, "<html") {
				t.Errorf("%s POST %s: got a 403 that is not a page: %.200s", tc.who, w.path, body)
			}
		}
	}
	if after := e.fingerprint(); after != before {
		t.Errorf("state after refused writes: got %s, want %s (unchanged)", after, before)
	}
}

// otherToken is token with its first character changed: never the token itself (a
// fixed replacement would be the token whenever the token started with it).
func otherToken(token string) string {
	if strings.HasPrefix(token, "x") {
		return "y" + token[1:]
	}
	return "x" + token[1:]
}
