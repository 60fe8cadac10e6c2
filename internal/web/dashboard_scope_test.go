package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var dashboardEndpoints = []string{"overview", "children", "ranking", "trends", "topics", "suggestions", "coverage"}

// TestDashboardScope: an official of street2 reads street2 and below, and gets 404 for
// anything of street1; a volunteer gets 403; nobody signed in, 401.
func TestDashboardScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	official := bearer(newToken(t, e.store, "jd2", "official", street2))
	volunteer := bearer(newToken(t, e.store, "zyz", "volunteer", ""))
	for _, ep := range dashboardEndpoints {
		path := "/api/v1/dashboard/" + ep + "?survey=chuangwen&area="
		for _, tc := range []struct {
			who     string
			headers []string
			code    string
			status  int
			errCode string
		}{
			{"official, own street", official, street2, 200, ""},
			{"official, own community", official, community3, 200, ""},
			{"official, own area by default", official, "", 200, ""},
			{"official, other street", official, street1, 404, "not_found"},
			{"official, other street's community", official, community1, 404, "not_found"},
			{"official, the district above", official, district, 404, "not_found"},
			{"official, unknown area", official, "nope", 404, "not_found"},
			{"volunteer", volunteer, street2, 403, "forbidden"},
			{"admin, anywhere", e.auth(), street1, 200, ""},
			{"anonymous", nil, street2, 401, "unauthorized"},
		} {
			res, body := e.do("GET", path+tc.code, nil, tc.headers...)
			if tc.status == 200 {
				if res.StatusCode != 200 {
					t.Errorf("%s %s: got %d %v, want 200", ep, tc.who, res.StatusCode, body)
				}
				continue
			}
			if res.StatusCode != tc.status || body["error"] != tc.errCode {
				t.Errorf("%s %s: got %d %v, want %d %s", ep, tc.who, res.StatusCode, body["error"], tc.status, tc.errCode)
			}
		}
	}
	// Defaulting to the caller's own area, the official sees street2.
	var got overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen", &got, official...)
	if got.Area.Code != street2 {
		t.Errorf("default area: got %s, want %s", got.Area.Code, street2)
	}
}

// TestDashboardBadParameters: each malformed parameter is a 400 naming it, in Chinese.
func TestDashboardBadParameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"overview?area=" + street1, 400, "bad_request"},
		{"overview?survey=nope&area=" + street1, 404, "not_found"},
		{"overview?survey=chuangwen&round=abc&area=" + street1, 400, "bad_request"},
		{"overview?survey=chuangwen&round=999999&area=" + street1, 404, "not_found"},
		{"ranking?survey=chuangwen&indicator=nope&area=" + street1, 400, "bad_request"},
		{"ranking?survey=chuangwen&level=street&area=" + street1, 400, "bad_request"},
		{"trends?survey=chuangwen&by=year&area=" + street1, 400, "bad_request"},
		{"trends?survey=chuangwen&channel=fax&area=" + street1, 400, "bad_request"},
		{"trends?survey=chuangwen&from=2026-13-01&area=" + street1, 400, "bad_request"},
		{"trends?survey=chuangwen&to=yesterday&area=" + street1, 400, "bad_request"},
	} {
		res, body := e.do("GET", "/api/v1/dashboard/"+tc.path, nil, e.auth()...)
		checkError(t, res, body, tc.status, tc.code)
	}
}

var crumbLink = regexp.MustCompile(`<nav class="crumbs"[^>]*>([\s\S]*?)</nav>`)

// crumbsOf lists the area names of the page's breadcrumb.
func crumbsOf(page string) []string {
	m := crumbLink.FindStringSubmatch(page)
	if m == nil {
		return nil
	}
	var names []string
	for _, a := range regexp.MustCompile(`<a [^>]*>([^<]*)</a>`).FindAllStringSubmatch(m[1], -1) {
		names = append(names, a[1])
	}
	return names
}

// TestDashboardPage renders the page for a signed-in official: the breadcrumb never
// above their own area, the round selector, the export links, wall-screen mode; and
// keeps other jurisdictions and anonymous visitors out.
func TestDashboardPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", "official", street1)
	newUser(t, e.store, "boss", "admin", "")
	newUser(t, e.store, "zyz", "volunteer", "")
	jd1 := e.signIn("jd1")
	for _, tc := range []struct {
		client *staffClient
		query  string
		status int
		crumbs []string
		area   string
	}{
		{jd1, "", 200, []string{"临江街道"}, street1},
		{jd1, "?area=" + community1, 200, []string{"临江街道", "望江社区"}, community1},
		{jd1, "?survey=chuangwen&area=" + community2 + "&round=" + fmt.Sprint(e.round.ID), 200, []string{"临江街道", "滨河社区"}, community2},
		{jd1, "?area=" + street2, 404, nil, ""},
		{jd1, "?area=" + district, 404, nil, ""},
		{jd1, "?round=999999", 404, nil, ""},
		{e.signIn("boss"), "?area=" + community3, 200, []string{"江滨区", "东湖街道", "东湖社区"}, community3},
		{e.signIn("boss"), "", 200, []string{"江滨区"}, district},
		{e.signIn("zyz"), "", 403, nil, ""},
	} {
		res, page := tc.client.get("/dashboard" + tc.query)
		if res.StatusCode != tc.status {
			t.Errorf("%s: got %d, want %d", tc.query, res.StatusCode, tc.status)
			continue
		}
		if tc.status != 200 {
			if !hasHan(page) {
				t.Errorf("%s: got an error page without a Chinese message", tc.query)
			}
			continue
		}
		if got := crumbsOf(page); fmt.Sprint(got) != fmt.Sprint(tc.crumbs) {
			t.Errorf("%s breadcrumb: got %v, want %v", tc.query, got, tc.crumbs)
		}
		if !strings.Contains(page, `data-area="`+tc.area+`"`) {
			t.Errorf("%s: page not for area %s", tc.query, tc.area)
		}
		q := url.Values{"survey": {"chuangwen"}, "area": {tc.area}, "round": {fmt.Sprint(e.round.ID)}}.Encode()
		for id, href := range map[string]string{
			"export-xlsx":           "/api/v1/export/indicators.xlsx?" + q,
			"export-csv":            "/api/v1/export/responses.csv?" + q,
			"export-responses-xlsx": "/api/v1/export/responses.xlsx?" + q,
			"bulletin-link":         "/bulletin?" + q,
		} {
			want := fmt.Sprintf(`id="%s" href="%s"`, id, strings.ReplaceAll(href, "&", "&amp;"))
			if !strings.Contains(page, want) {
				t.Errorf("%s: no link %s", tc.query, want)
			}
		}
		for _, want := range []string{`<option value="` + fmt.Sprint(e.round.ID) + `" selected>测试轮</option>`,
			`id="ranking-chart"`, `id="trends-chart"`, `id="children-table"`, `src="/static/vendor/echarts.dashboard.min.js"`,
			`src="/static/dashboard.js"`, `data-open="true"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %s", tc.query, want)
			}
		}
	}
	_, wall := jd1.get("/dashboard?wall=1")
	if !strings.Contains(wall, `class="dashboard wall"`) || !strings.Contains(wall, `id="ranking-chart"`) ||
		strings.Contains(wall, `id="children-table"`) || strings.Contains(wall, `id="suggestions"`) {
		t.Errorf("wall screen: want the overview and the ranking alone")
	}
	res, _ := e.anonClient().get("/dashboard?area=" + street1)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
		t.Errorf("anonymous: got %d to %q, want a redirect to /login", res.StatusCode, loc)
	}
	for _, path := range []string{"/static/dashboard.js", "/static/vendor/echarts.dashboard.min.js"} {
		res, _ := e.anonClient().get(path)
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.Contains(ct, "javascript") {
			t.Errorf("%s: got %d %s, want JavaScript", path, res.StatusCode, ct)
		}
	}
}
