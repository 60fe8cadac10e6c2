package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/account"
)

func TestAdminCreateUser(t *testing.T) {
	e := newAdminEnv(t)
	form := url.Values{"username": {"jd_new"}, "display_name": {"王五<b>"}, "role": {"official"}, "area": {street1},
		"password": {testPassword}, "confirm": {testPassword}}
	res, body := e.admin.postForm("/admin/users", e.admin.csrfForm(form))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/users?ok=user.create" {
		t.Fatalf("create: got %d %s, want 303 to /admin/users?ok=user.create: %.300s", res.StatusCode, res.Header.Get("Location"), body)
	}
	u, err := e.store.UserByName(context.Background(), "jd_new")
	if err != nil || u.Role != account.Official || u.AreaCode != street1 || u.DisplayName != "王五<b>" {
		t.Fatalf("stored user: got %+v (%v), want an official of %s named 王五<b>", u, err, street1)
	}
	_, page := e.admin.get("/admin/users?ok=user.create")
	for _, want := range []string{"已创建用户。", `id="user-jd_new"`, "王五&lt;b&gt;", "工作人员", "临江街道"} {
		if !strings.Contains(page, want) {
			t.Errorf("users page after create: missing %q", want)
		}
	}
	ev := e.audited("user.create")
	if len(ev) != 1 || ev[0].Username != "admin" || ev[0].Target != "jd_new" || ev[0].Scope != street1 || ev[0].Detail["role"] != "official" {
		t.Errorf("audit user.create: got %+v, want one event by admin for jd_new", ev)
	}
	if e.signIn("jd_new").CSRF == "" {
		t.Errorf("the new user cannot sign in")
	}
}

func TestAdminCreateUserInvalid(t *testing.T) {
	e := newAdminEnv(t)
	valid := func(change func(url.Values)) url.Values {
		f := url.Values{"username": {"jd_x"}, "display_name": {"赵六"}, "role": {"official"}, "area": {street2},
			"password": {testPassword}, "confirm": {testPassword}}
		change(f)
		return f
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"short username", valid(func(f url.Values) { f.Set("username", "ab") }), account.ErrUsername.Error()},
		{"username in Chinese", valid(func(f url.Values) { f.Set("username", "张三") }), account.ErrUsername.Error()},
		{"taken username", valid(func(f url.Values) { f.Set("username", "jd1") }), "该用户名已被使用"},
		{"official without area", valid(func(f url.Values) { f.Set("area", "") }), account.ErrArea.Error()},
		{"unknown area", valid(func(f url.Values) { f.Set("area", "nowhere") }), "找不到该区域"},
		{"unknown role", valid(func(f url.Values) { f.Set("role", "boss") }), account.ErrRole.Error()},
		{"short password", valid(func(f url.Values) { f.Set("password", "short"); f.Set("confirm", "short") }), account.ErrPassword.Error()},
		{"passwords differ", valid(func(f url.Values) { f.Set("confirm", testPassword+"!") }), "两次输入的密码不一致"},
		{"name too long", valid(func(f url.Values) { f.Set("display_name", strings.Repeat("长", 33)) }), account.ErrName.Error()},
	} {
		before := e.fingerprint()
		res, body := e.admin.postForm("/admin/users", e.admin.csrfForm(tc.form))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), tc.want) {
			t.Errorf("%s: got %d, want 422 with %q", tc.name, res.StatusCode, tc.want)
		}
		// The form comes back filled in, except for the passwords.
		for _, kept := range []string{`name="username" value="` + html.EscapeString(tc.form.Get("username")) + `"`,
			`name="display_name" value="` + html.EscapeString(tc.form.Get("display_name")) + `"`} {
			if !strings.Contains(body, kept) {
				t.Errorf("%s: form not kept: missing %s", tc.name, kept)
			}
		}
		if strings.Contains(body, testPassword) {
			t.Errorf("%s: the password came back in the page", tc.name)
		}
		if after := e.fingerprint(); after != before {
			t.Errorf("%s: state changed: got %s, want %s", tc.name, after, before)
		}
	}
}

func TestAdminEditUser(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	// Renaming keeps the user's sessions.
	res, _ := e.admin.postForm("/admin/users/jd1", e.admin.csrfForm(url.Values{"display_name": {"李雷"}, "role": {"official"}, "area": {street1}}))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/users/jd1?ok=user.update" {
		t.Fatalf("rename: got %d %s, want 303 to /admin/users/jd1?ok=user.update", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := e.official.get("/api/v1/me"); res.StatusCode != 200 {
		t.Errorf("official's session after a rename: got %d, want 200", res.StatusCode)
	}
	// Moving the official to another street ends them.
	res, _ = e.admin.postForm("/admin/users/jd1", e.admin.csrfForm(url.Values{"display_name": {"李雷"}, "role": {"official"}, "area": {street2}}))
	if res.StatusCode != 303 {
		t.Fatalf("move: got %d, want 303", res.StatusCode)
	}
	if res, _ := e.official.get("/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("official's session after a move: got %d, want 401", res.StatusCode)
	}
	u, _ := e.store.UserByName(ctx, "jd1")
	if u.DisplayName != "李雷" || u.AreaCode != street2 || u.Role != account.Official {
		t.Errorf("stored jd1: got %s %s %s, want 李雷 official of %s", u.DisplayName, u.Role, u.AreaCode, street2)
	}
	ev := e.audited("user.update")
	if len(ev) != 2 || ev[0].Detail["area"] != street2 || ev[0].Detail["display_name"] != nil || ev[1].Detail["display_name"] != "李雷" {
		t.Errorf("audit user.update: got %+v, want the move, then the rename", ev)
	}
	// Nothing changed: nothing written, nothing audited.
	res, _ = e.admin.postForm("/admin/users/jd1", e.admin.csrfForm(url.Values{"display_name": {"李雷"}, "role": {"official"}, "area": {street2}}))
	if res.Header.Get("Location") != "/admin/users/jd1?ok=nochange" || len(e.audited("user.update")) != 2 {
		t.Errorf("unchanged edit: got %s, %d events, want ?ok=nochange and still 2", res.Header.Get("Location"), len(e.audited("user.update")))
	}
	for _, tc := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"official without area", "/admin/users/jd1", url.Values{"role": {"official"}, "area": {""}}, account.ErrArea.Error()},
		{"unknown area", "/admin/users/jd1", url.Values{"role": {"official"}, "area": {"nowhere"}}, "找不到该区域"},
		{"own role", "/admin/users/admin", url.Values{"role": {"volunteer"}}, "不能停用自己的账号"},
		{"own account disabled", "/admin/users/admin/disable", url.Values{}, "不能停用自己的账号"},
	} {
		before := e.fingerprint()
		res, body := e.admin.postForm(tc.path, e.admin.csrfForm(tc.form))
		if res.StatusCode != 422 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: got %d, want 422 with %q", tc.name, res.StatusCode, tc.want)
		}
		if after := e.fingerprint(); after != before {
			t.Errorf("%s: state changed", tc.name)
		}
	}
	if res, _ := e.admin.get("/admin/users/nobody"); res.StatusCode != 404 {
		t.Errorf("unknown user's page: got %d, want 404", res.StatusCode)
	}
}

func TestAdminUserPassword(t *testing.T) {
	e := newAdminEnv(t)
	const fresh = "a new password 2026"
	res, body := e.admin.postForm("/admin/users/jd1/password", e.admin.csrfForm(url.Values{"password": {fresh}, "confirm": {"other"}}))
	if res.StatusCode != 422 || !strings.Contains(body, "两次输入的密码不一致") {
		t.Errorf("passwords differ: got %d, want 422 with the message", res.StatusCode)
	}
	res, _ = e.admin.postForm("/admin/users/jd1/password", e.admin.csrfForm(url.Values{"password": {fresh}, "confirm": {fresh}}))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/users/jd1?ok=user.passwd" {
		t.Fatalf("reset: got %d %s, want 303", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := e.official.get("/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("session after a password reset: got %d, want 401", res.StatusCode)
	}
	for _, tc := range []struct {
		password string
		want     int
	}{{testPassword, 401}, {fresh, 303}} {
		if res, _ := e.anonClient().login("jd1", tc.password); res.StatusCode != tc.want {
			t.Errorf("sign in with %q: got %d, want %d", tc.password, res.StatusCode, tc.want)
		}
	}
	if ev := e.audited("user.passwd"); len(ev) != 1 || ev[0].Target != "jd1" || ev[0].Username != "admin" {
		t.Errorf("audit user.passwd: got %+v, want one for jd1 by admin", ev)
	}
}

func TestAdminDisableUser(t *testing.T) {
	e := newAdminEnv(t)
	res, _ := e.admin.postForm("/admin/users/jd1/disable", e.admin.csrfForm(nil))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/users/jd1?ok=user.disable" {
		t.Fatalf("disable: got %d %s, want 303", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := e.official.get("/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("session of a disabled user: got %d, want 401", res.StatusCode)
	}
	res, page := e.anonClient().login("jd1", testPassword)
	if res.StatusCode != 401 || !strings.Contains(page, "用户名或密码错误") {
		t.Errorf("disabled user signs in: got %d, want 401 with 用户名或密码错误", res.StatusCode)
	}
	_, list := e.admin.get("/admin/users")
	if row := between(list, `id="user-jd1"`, "</tr>"); !strings.Contains(row, "已停用") {
		t.Errorf("users list: jd1's row %q does not say 已停用", row)
	}
	res, _ = e.admin.postForm("/admin/users/jd1/enable", e.admin.csrfForm(nil))
	if res.StatusCode != 303 {
		t.Fatalf("enable: got %d, want 303", res.StatusCode)
	}
	if res, _ := e.anonClient().login("jd1", testPassword); res.StatusCode != 303 {
		t.Errorf("enabled user signs in: got %d, want 303", res.StatusCode)
	}
	for _, action := range []string{"user.disable", "user.enable"} {
		if ev := e.audited(action); len(ev) != 1 || ev[0].Target != "jd1" || ev[0].Scope != street1 {
			t.Errorf("audit %s: got %+v, want one for jd1 in %s", action, ev, street1)
		}
	}
}

// between is the part of s from the first start up to the next end.
func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	part, _, _ := strings.Cut(rest, end)
	return part
}
