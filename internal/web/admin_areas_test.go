package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func (e *testEnv) areaCount() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM areas`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestAdminAreasPage(t *testing.T) {
	e := newAdminEnv(t)
	res, page := e.admin.get("/admin/areas")
	if res.StatusCode != 200 {
		t.Fatalf("areas page: got %d, want 200", res.StatusCode)
	}
	street := between(page, `<details id="area-`+street1+`"`, `<details id="area-`+street2+`"`)
	for _, tc := range []struct{ part, want string }{
		{page, `<details id="area-` + district + `" open>`},
		{street, "<strong>临江街道</strong> <code>" + street1 + "</code>"},
		{street, `<details id="area-` + community1 + `"`}, // nested under its street
		{street, `href="/posters/chuangwen/` + street1 + `"`},
		{street, `href="/qr/chuangwen/` + community1 + `.png"`},
		{street, `href="/qr/chuangwen/` + community1 + `.svg"`},
		{street, `action="/admin/areas/` + community1 + `/households"`},
		{street, `name="households" type="number" min="0" max="10000000" step="1" value="2860"`},
	} {
		if !strings.Contains(tc.part, tc.want) {
			t.Errorf("areas page: missing %s", tc.want)
		}
	}
	if strings.Contains(street, `area-`+community3) {
		t.Errorf("areas page: %s is shown under %s, want under %s", community3, street1, street2)
	}
}

func TestAdminImportAreas(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	n := e.areaCount()
	bad := "code,name,kind,parent_code,households,in_scope\n" +
		"990100002009,新社区,community,990100002000,100,true\n" +
		"990100002010,另一社区,小镇,990100002000,,true\n" +
		"990100002011,第三社区,community,990100009999,,true\n"
	res, body := e.admin.postFile("/admin/areas/import", e.admin.csrfForm(nil), "file", "bad.csv", []byte(bad))
	errs := between(body, `id="import-errors">`, "</ul>")
	if res.StatusCode != 422 || !strings.Contains(body, "文件有错误，未导入任何区域") || !strings.Contains(errs, "<code>bad.csv:3: 类型 &#34;小镇&#34; 无效</code>") {
		t.Errorf("bad kind: got %d, errors %q, want 422 listing bad.csv:3", res.StatusCode, errs)
	}
	// Lines that parse but point at a parent that does not exist are caught when merged.
	bad = strings.Replace(bad, ",小镇,", ",community,", 1)
	res, body = e.admin.postFile("/admin/areas/import", e.admin.csrfForm(nil), "file", "bad.csv", []byte(bad))
	errs = between(body, `id="import-errors">`, "</ul>")
	if res.StatusCode != 422 || !strings.Contains(errs, "<code>bad.csv:4: 上级代码 990100009999 不存在</code>") {
		t.Errorf("unknown parent: got %d, errors %q, want 422 listing bad.csv:4", res.StatusCode, errs)
	}
	if got := e.areaCount(); got != n {
		t.Errorf("areas after bad files: got %d, want %d (nothing imported)", got, n)
	}
	good := "\ufeffcode,name,kind,parent_code,households,in_scope\n" +
		"990100002009,新社区,community,990100002000,100,true\n" +
		community3 + ",东湖社区（改名）,community," + street2 + ",500,true\n"
	res, _ = e.admin.postFile("/admin/areas/import", e.admin.csrfForm(nil), "file", "good.csv", []byte(good))
	if want := "/admin/areas?created=1&ok=area.import&updated=1"; res.StatusCode != 303 || res.Header.Get("Location") != want {
		t.Fatalf("good file: got %d %s, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	if _, page := e.admin.get(res.Header.Get("Location")); !strings.Contains(page, "区域导入完成：新增 1 个，更新 1 个。") || !strings.Contains(page, "<strong>新社区</strong>") {
		t.Errorf("areas page after import: missing the message or the new area")
	}
	a, err := e.store.Area(ctx, "990100002009")
	if err != nil || a.ParentCode != street2 || a.Households == nil || *a.Households != 100 {
		t.Errorf("new area: got %+v (%v), want a community of %s with 100 households", a, err, street2)
	}
	if a, _ := e.store.Area(ctx, community3); a.Name != "东湖社区（改名）" {
		t.Errorf("updated area: got name %s, want 东湖社区（改名）", a.Name)
	}
	ev := e.audited("area.import")
	if len(ev) != 1 || ev[0].Target != "good.csv" || ev[0].Detail["file"] != "good.csv" ||
		ev[0].Detail["created"] != float64(1) || ev[0].Detail["updated"] != float64(1) {
		t.Errorf("audit area.import: got %+v, want one for good.csv, 1 created, 1 updated", ev)
	}
}

func TestAdminSetHouseholds(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	path := "/admin/areas/" + community1 + "/households"
	for _, tc := range []struct {
		name       string
		households string
		inScope    string
		status     int
		want       string // the households stored afterwards, "" for unknown
		wantScope  bool
	}{
		{"negative", "-5", "true", 422, "2860", true},
		{"not a number", "三千", "true", 422, "2860", true},
		{"no scope", "3000", "", 422, "2860", true},
		{"a count", "3000", "true", 303, "3000", true},
		{"unknown, out of scope", "", "false", 303, "", false},
	} {
		res, body := e.admin.postForm(path, e.admin.csrfForm(url.Values{"households": {tc.households}, "in_scope": {tc.inScope}}))
		if res.StatusCode != tc.status {
			t.Errorf("%s: got %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		if tc.status == 422 {
			node := between(body, `<details id="area-`+community1+`" open`, "</form>")
			if !strings.Contains(node, `value="`+tc.households+`"`) || !strings.Contains(node, `class="field-error"`) {
				t.Errorf("%s: the area's form does not come back open with the value and its error: %q", tc.name, node)
			}
		}
		a, _ := e.store.Area(ctx, community1)
		got := ""
		if a.Households != nil {
			got = strconv.Itoa(*a.Households)
		}
		if got != tc.want || a.InScope != tc.wantScope {
			t.Errorf("%s: stored %q in scope %v, want %q %v", tc.name, got, a.InScope, tc.want, tc.wantScope)
		}
	}
	// Out of scope takes effect at once: the resident form of the area closes.
	if res, _ := e.anonClient().get("/s/chuangwen/" + community1); res.StatusCode < 400 {
		t.Errorf("resident form of an area out of scope: got %d, want an error", res.StatusCode)
	}
	ev := e.audited("area.update")
	if len(ev) != 2 || ev[0].Target != community1 || ev[0].Detail["in_scope"] != false || ev[0].Detail["households_before"] != float64(3000) ||
		ev[1].Detail["households"] != float64(3000) {
		t.Errorf("audit area.update: got %+v, want two changes of %s", ev, community1)
	}
	if res, _ := e.admin.postForm("/admin/areas/nowhere/households", e.admin.csrfForm(url.Values{"households": {"1"}, "in_scope": {"true"}})); res.StatusCode != 404 {
		t.Errorf("unknown area: got %d, want 404", res.StatusCode)
	}
}
