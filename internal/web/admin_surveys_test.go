package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi/internal/survey"
	"minyi/surveys"
)

// defaultSurveyYAML is the file of the default questionnaire, as shipped.
func defaultSurveyYAML(t *testing.T) string {
	t.Helper()
	b, err := surveys.FS.ReadFile(surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (e *testEnv) versions() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM survey_versions`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestAdminSurveysPage(t *testing.T) {
	e := newAdminEnv(t)
	res, page := e.admin.get("/admin/surveys")
	if res.StatusCode != 200 {
		t.Fatalf("surveys page: got %d, want 200", res.StatusCode)
	}
	versions := between(page, `<table class="grid versions">`, "</table>")
	rounds := between(page, `<table class="grid rounds">`, "</table>")
	for _, tc := range []struct{ part, what, want string }{
		{versions, "version 1 with its question count", fmt.Sprintf(`<td class="num">1</td><td>创建全国文明城市群众满意度模拟问卷</td><td class="num">%d</td>`, len(e.def.Questions))},
		{versions, "the preview link", `href="/admin/surveys/chuangwen/versions/1"`},
		{rounds, "the open round", "<td>测试轮</td>"},
		{page, "the close button", `action="/admin/surveys/chuangwen/rounds/close"`},
	} {
		if !strings.Contains(tc.part, tc.want) {
			t.Errorf("surveys page: %s: missing %s", tc.what, tc.want)
		}
	}
}

func TestAdminImportSurvey(t *testing.T) {
	e := newAdminEnv(t)
	src := defaultSurveyYAML(t)
	bad := strings.Replace(src, "    type: single\n", "    type: singel\n", 1)
	bad = strings.Replace(bad, "title: 创建", "titel: 创建", 1)
	for _, tc := range []struct {
		name      string
		file      string
		status    int
		location  string
		wantLines []string
		versions  int
	}{
		{"unknown field", bad, 422, "", []string{"bad.yaml:5: "}, 1},
		{"bad type", strings.Replace(src, "    type: single\n", "    type: singel\n", 1), 422, "", []string{"bad.yaml:11: questions[0].type"}, 1},
		{"same as version 1", src, 303, "/admin/surveys?ok=survey.same&v=1", nil, 1},
		{"a new title", strings.Replace(src, "title: 创建全国文明城市群众满意度模拟问卷", "title: 新版问卷", 1), 303, "/admin/surveys?ok=survey.new&v=2", nil, 2},
	} {
		res, body := e.admin.postFile("/admin/surveys/import", e.admin.csrfForm(nil), "file", "bad.yaml", []byte(tc.file))
		if res.StatusCode != tc.status || res.Header.Get("Location") != tc.location {
			t.Errorf("%s: got %d %q, want %d %q: %.300s", tc.name, res.StatusCode, res.Header.Get("Location"), tc.status, tc.location, body)
		}
		errs := between(body, `id="import-errors">`, "</ul>")
		for _, l := range tc.wantLines {
			if !strings.Contains(errs, "<code>"+l) {
				t.Errorf("%s: error list %q: missing %q", tc.name, errs, l)
			}
		}
		if n := e.versions(); n != tc.versions {
			t.Errorf("%s: versions stored: got %d, want %d", tc.name, n, tc.versions)
		}
	}
	ev := e.audited("survey.import")
	if len(ev) != 2 || ev[1].Detail["created"] != false || ev[1].Detail["version"] != float64(1) ||
		ev[0].Detail["created"] != true || ev[0].Detail["version"] != float64(2) || ev[0].Detail["survey"] != "chuangwen" {
		t.Errorf("audit survey.import: got %+v, want version 1 unchanged, then version 2 created", ev)
	}
	for _, tc := range []struct{ path, want string }{
		{"/admin/surveys?ok=survey.same&v=1", "文件内容与已有的第 1 版相同，未保存新版本。"},
		{"/admin/surveys?ok=survey.new&v=2", "问卷已导入，保存为第 2 版。"},
		{"/admin/surveys?ok=survey.new&v=<b>", "<h1"}, // a flash without its number is not shown
	} {
		_, page := e.admin.get(tc.path)
		if !strings.Contains(page, tc.want) || strings.Contains(page, "<b>") {
			t.Errorf("GET %s: missing %q", tc.path, tc.want)
		}
	}
	res, body := e.admin.postFile("/admin/surveys/import", e.admin.csrfForm(nil), "other", "x.yaml", []byte(src))
	if res.StatusCode != 422 || !strings.Contains(body, "请选择要导入的 YAML 文件") {
		t.Errorf("no file: got %d, want 422 asking for a file", res.StatusCode)
	}
}

func TestAdminPreview(t *testing.T) {
	e := newAdminEnv(t)
	res, page := e.admin.get("/admin/surveys/chuangwen/versions/1")
	if res.StatusCode != 200 {
		t.Fatalf("preview: got %d, want 200", res.StatusCode)
	}
	for _, want := range []string{"<strong>预览</strong>", "本页不能提交", `id="q-q4"`, e.def.Questions[3].Text, "内部模拟调查（非正式测评）"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview: missing %q", want)
		}
	}
	for _, banned := range []string{"<form", "action=", "/static/form.js", "/api/v1/responses", "client_id"} {
		if strings.Contains(page, banned) {
			t.Errorf("preview: contains %q; it must not be able to submit", banned)
		}
	}
	for _, path := range []string{"/admin/surveys/chuangwen/versions/2", "/admin/surveys/chuangwen/versions/0", "/admin/surveys/nope/versions/1"} {
		if res, _ := e.admin.get(path); res.StatusCode != 404 {
			t.Errorf("GET %s: got %d, want 404", path, res.StatusCode)
		}
	}
}

func TestAdminRounds(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	post := func(path string, form url.Values) (int, string, string) {
		res, body := e.admin.postForm(path, e.admin.csrfForm(form))
		return res.StatusCode, res.Header.Get("Location"), body
	}
	closeConfirmed := url.Values{"confirm": {"1"}}
	if status, _, body := post("/admin/surveys/chuangwen/rounds/close", nil); status != 422 || !strings.Contains(body, "请勾选“确认结束”后再结束本轮") {
		t.Errorf("close without confirming: got %d, want 422 asking to confirm", status)
	}
	if _, err := e.store.OpenRound(ctx, "chuangwen", time.Now()); err != nil {
		t.Errorf("open round after an unconfirmed close: got %v, want it still open", err)
	}
	status, loc, _ := post("/admin/surveys/chuangwen/rounds/close", closeConfirmed)
	if status != 303 || loc != "/admin/surveys?ok=round.close" {
		t.Fatalf("close: got %d %s, want 303 to ?ok=round.close", status, loc)
	}
	if _, err := e.store.OpenRound(ctx, "chuangwen", time.Now()); !errors.Is(err, survey.ErrNoOpenRound) {
		t.Errorf("open round after close: got %v, want none", err)
	}
	if res, _ := e.anonClient().get("/s/chuangwen/" + community1); res.StatusCode != 410 {
		t.Errorf("resident form after close: got %d, want 410", res.StatusCode)
	}
	if status, _, body := post("/admin/surveys/chuangwen/rounds/close", closeConfirmed); status != 422 || !strings.Contains(body, "该问卷当前没有进行中的轮次") {
		t.Errorf("close again: got %d, want 422 saying no round is open", status)
	}
	loc8 := e.cfg.Location
	past := time.Now().In(loc8).Add(-time.Hour).Format(closesLayout)
	status, _, body := post("/admin/surveys/chuangwen/rounds", url.Values{"name": {"第九轮"}, "closes": {past}})
	if status != 422 || !strings.Contains(body, "结束时间格式有误，或早于当前时间") || !strings.Contains(body, `value="第九轮"`) || !strings.Contains(body, `value="`+past+`"`) {
		t.Errorf("open with a past closing time: got %d, want 422 with the message and the form kept", status)
	}
	// An empty name gets the default one.
	status, loc, _ = post("/admin/surveys/chuangwen/rounds", url.Values{"name": {""}})
	if status != 303 || loc != "/admin/surveys?ok=round.open" {
		t.Fatalf("open: got %d %s, want 303", status, loc)
	}
	r, err := e.store.OpenRound(ctx, "chuangwen", time.Now())
	if want := survey.DefaultRoundName(time.Now().In(loc8), nil); err != nil || r.Name != want || r.ClosesAt != nil {
		t.Errorf("opened round: got %q closes %v (%v), want %q with no end", r.Name, r.ClosesAt, err, want)
	}
	if res, _ := e.anonClient().get("/s/chuangwen/" + community1); res.StatusCode != 200 {
		t.Errorf("resident form after open: got %d, want 200", res.StatusCode)
	}
	if status, _, body := post("/admin/surveys/chuangwen/rounds", url.Values{"name": {"又一轮"}}); status != 422 || !strings.Contains(body, "已有进行中的轮次") {
		t.Errorf("open while open: got %d, want 422", status)
	}
	// The next default name is the month's next number.
	post("/admin/surveys/chuangwen/rounds/close", closeConfirmed)
	_, page := e.admin.get("/admin/surveys")
	if want := survey.DefaultRoundName(time.Now().In(loc8), []string{r.Name}); want == r.Name || !strings.Contains(page, `name="name" value="`+want+`"`) {
		t.Errorf("surveys page after closing %s: want the next default name %s offered", r.Name, want)
	}
	status, _, _ = post("/admin/surveys/chuangwen/rounds", url.Values{"name": {""}})
	r2, err := e.store.OpenRound(ctx, "chuangwen", time.Now())
	if status != 303 || err != nil || r2.Name == r.Name {
		t.Errorf("a second default round in the month: got %d %q (%v), want a name other than %q", status, r2.Name, err, r.Name)
	}
	post("/admin/surveys/chuangwen/rounds/close", closeConfirmed)
	tomorrow := time.Now().In(loc8).Add(24 * time.Hour).Truncate(time.Minute)
	status, _, _ = post("/admin/surveys/chuangwen/rounds", url.Values{"name": {"2026年11月第2轮"}, "closes": {tomorrow.Format(closesLayout)}})
	r, err = e.store.OpenRound(ctx, "chuangwen", time.Now())
	if status != 303 || err != nil || r.Name != "2026年11月第2轮" || r.ClosesAt == nil || !r.ClosesAt.Equal(tomorrow) {
		t.Errorf("open with an end: got %d, round %q closes %v (%v), want it to close at %v", status, r.Name, r.ClosesAt, err, tomorrow)
	}
	opens, closes := e.audited("round.open"), e.audited("round.close")
	if len(opens) != 3 || len(closes) != 3 || opens[0].Detail["name"] != "2026年11月第2轮" || opens[0].Detail["closes"] == nil ||
		opens[0].Target != "chuangwen" || closes[2].Detail["name"] != "测试轮" {
		t.Errorf("audit: got opens %+v closes %+v, want 3 of each", opens, closes)
	}
	for _, name := range []string{strings.Repeat("轮", 41), "两行\n名称"} {
		if status, _, _ := post("/admin/surveys/chuangwen/rounds", url.Values{"name": {name}}); status != 422 {
			t.Errorf("round name %q: got %d, want 422", name, status)
		}
	}
}
