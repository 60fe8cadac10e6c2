package web

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/survey"
)

// fetch sends a request and returns the response with its body as text. The transport
// asks for gzip and decompresses by itself.
func fetchText(e *testEnv, method, path string, body io.Reader, headers ...string) (*http.Response, string) {
	e.t.Helper()
	res, raw := e.send(method, path, body, headers...)
	return res, string(raw)
}

var (
	clientIDInput  = regexp.MustCompile(`name="client_id" value="([^"]*)"`)
	startedAtInput = regexp.MustCompile(`name="started_at" value="([^"]*)"`)
)

// openForm loads a resident form as a browser would and returns what its plain POST
// sends back: the hidden inputs, and the device cookie as a Cookie header pair.
func openForm(t *testing.T, e *testEnv, code string) (hidden url.Values, cookie []string) {
	t.Helper()
	return openFormAs(t, e, code, nil)
}

// openFormAs is openForm from the browser with the given Cookie header pair.
func openFormAs(t *testing.T, e *testEnv, code string, cookie []string) (hidden url.Values, _ []string) {
	t.Helper()
	res, page := fetchText(e, "GET", "/s/chuangwen/"+code, nil, cookie...)
	if res.StatusCode != 200 {
		t.Fatalf("GET form: got %d, want 200", res.StatusCode)
	}
	id, started := clientIDInput.FindStringSubmatch(page), startedAtInput.FindStringSubmatch(page)
	if id == nil || started == nil {
		t.Fatalf("form lacks the client_id or started_at hidden input")
	}
	token := formTokenInput.FindStringSubmatch(page)
	if token == nil {
		t.Fatalf("form lacks the form_token hidden input")
	}
	hidden = url.Values{"client_id": {id[1]}, "started_at": {started[1]}, "form_token": {token[1]}}
	if c := deviceCookieOf(res); c != nil {
		cookie = []string{"Cookie", c.Name + "=" + c.Value}
	}
	return hidden, cookie
}

// formValues encodes answers as the plain form does: one field per question id, one
// value per chosen option.
func formValues(hidden url.Values, answers map[string]any) url.Values {
	v := url.Values{}
	for k, vals := range hidden {
		v[k] = vals
	}
	for q, a := range answers {
		switch a := a.(type) {
		case string:
			v.Set(q, a)
		case []string:
			v[q] = a
		}
	}
	return v
}

func postForm(t *testing.T, e *testEnv, code string, v url.Values, cookie []string) (*http.Response, string) {
	t.Helper()
	headers := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)
	return fetchText(e, "POST", "/s/chuangwen/"+code, strings.NewReader(v.Encode()), headers...)
}

// wireSize is how many bytes a GET of path takes on the wire with gzip.
func wireSize(t *testing.T, e *testEnv, path string) int {
	t.Helper()
	// Accept-Encoding set by hand: the transport leaves the body compressed.
	res, raw := e.send("GET", path, nil, "Accept-Encoding", "gzip")
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: got %d, want 200", path, res.StatusCode)
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("GET %s: Content-Encoding got %q, want gzip", path, res.Header.Get("Content-Encoding"))
	} else if zr, err := gzip.NewReader(bytes.NewReader(raw)); err != nil {
		t.Errorf("GET %s: body is not gzip: %v", path, err)
	} else if _, err := io.ReadAll(zr); err != nil {
		t.Errorf("GET %s: body is not valid gzip: %v", path, err)
	}
	return len(raw)
}

func TestFormPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	res, page := fetchText(e, "GET", "/s/chuangwen/"+community1, nil)
	if res.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type: got %q, want text/html", ct)
	}
	for _, want := range []string{
		"望江社区", e.def.Title, "内部模拟调查", "不是正式测评", "匿名", `lang="zh-CN"`,
		`action="/s/chuangwen/` + community1 + `"`, `method="post"`,
		"/static/form.js", "/static/answers.js", "/static/form.css",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got, want := strings.Count(page, `<fieldset class="q`), len(e.def.Questions); got != want {
		t.Errorf("questions: got %d, want %d", got, want)
	}
	// Nothing is preselected: the form never suggests an answer.
	if strings.Contains(page, " checked") {
		t.Errorf("a fresh form has a preselected answer")
	}
	if m := clientIDInput.FindStringSubmatch(page); m == nil || uuid.Validate(m[1]) != nil {
		t.Errorf("client_id hidden input: got %v, want a UUID", m)
	}
	if m := startedAtInput.FindStringSubmatch(page); m == nil {
		t.Errorf("started_at hidden input missing")
	} else if ts, err := time.Parse(time.RFC3339, m[1]); err != nil || time.Since(ts) > time.Minute {
		t.Errorf("started_at: got %q, want the time of the request", m[1])
	}
	if c := deviceCookieOf(res); c == nil || !c.HttpOnly {
		t.Errorf("device cookie: got %+v, want an HttpOnly %s cookie", c, deviceCookie)
	}

	// What a resident on a weak network downloads: the page, its script and styles.
	total := 0
	for _, path := range []string{"/s/chuangwen/" + community1, "/static/form.js", "/static/answers.js", "/static/form.css"} {
		n := wireSize(t, e, path)
		t.Logf("%s: %d bytes gzipped", path, n)
		total += n
	}
	if total >= 60*1024 {
		t.Errorf("form on the wire: got %d bytes, want under 60 KB", total)
	}
}

// TestFormErrorPages: residents get a short Chinese page, not JSON nor a stack trace.
func TestFormErrorPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	outside := "990100003299" // a village excluded from the questionnaire
	importOutOfScope(t, e, outside)
	closed := newEnv(t, nil, nil)
	if _, err := closed.store.CloseRound(context.Background(), "chuangwen", time.Now()); err != nil {
		t.Fatal(err)
	}
	post := url.Values{"client_id": {uuid.NewString()}, "q4": {"know"}}.Encode()
	big := url.Values{"client_id": {uuid.NewString()}, "q25": {strings.Repeat("很", 30000)}}.Encode()
	for _, tc := range []struct {
		name, method, path string
		env                *testEnv
		status             int
		want               string
		body               string // of a POST; post when empty
		chunked            bool
	}{
		{name: "unknown area", method: "GET", path: "/s/chuangwen/000000000000", env: e, status: 404, want: "找不到该问卷或区域"},
		{name: "unknown survey", method: "GET", path: "/s/nope/" + community1, env: e, status: 404, want: "找不到该问卷或区域"},
		{name: "out-of-scope area", method: "GET", path: "/s/chuangwen/" + outside, env: e, status: 404, want: "不在本次问卷调查范围内"},
		{name: "thanks of an unknown area", method: "GET", path: "/s/chuangwen/000000000000/thanks", env: e, status: 404, want: "找不到该问卷或区域"},
		{name: "no such page", method: "GET", path: "/s/chuangwen", env: e, status: 404, want: "页面不存在"},
		{name: "closed round", method: "GET", path: "/s/chuangwen/" + community1, env: closed, status: 410, want: "本轮问卷调查已结束"},
		{name: "post to a closed round", method: "POST", path: "/s/chuangwen/" + community1, env: closed, status: 410, want: "本轮问卷调查已结束"},
		{name: "post to an unknown area", method: "POST", path: "/s/chuangwen/000000000000", env: e, status: 404, want: "找不到该问卷或区域"},
		{name: "post over 64 KB", method: "POST", path: "/s/chuangwen/" + community1, env: e, status: 413, want: "提交的内容过大", body: big},
		{name: "post over 64 KB, chunked", method: "POST", path: "/s/chuangwen/" + community1, env: e, status: 413, want: "提交的内容过大", body: big,
			chunked: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.method == "POST" {
				body = strings.NewReader(cmp.Or(tc.body, post))
			}
			if tc.chunked {
				body = io.MultiReader(body) // hides the length: sent chunked
			}
			res, page := fetchText(tc.env, tc.method, tc.path, body, "Content-Type", "application/x-www-form-urlencoded")
			if res.StatusCode != tc.status {
				t.Errorf("status: got %d, want %d", res.StatusCode, tc.status)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type: got %q, want text/html", ct)
			}
			if !strings.Contains(page, tc.want) || !strings.Contains(page, `lang="zh-CN"`) {
				t.Errorf("page lacks %q:\n%s", tc.want, page)
			}
			for _, bad := range []string{"goroutine", ".go:", "panic", "survey.", "Store.", "not found", `"error"`} {
				if strings.Contains(page, bad) {
					t.Errorf("page shows internals (%q):\n%s", bad, page)
				}
			}
		})
	}
	t.Run("JSON when asked for", func(t *testing.T) {
		res, body := e.do("GET", "/s/chuangwen/000000000000", nil, "Accept", "application/json")
		checkError(t, res, body, 404, "not_found")
	})
}

// TestFormPost: the form works without JavaScript.
func TestFormPost(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	hidden, cookie := openForm(t, e, community1)
	v := formValues(hidden, fullAnswers(e.def))
	for i := range 2 { // the second POST of the same page is a replay
		res, _ := postForm(t, e, community1, v, cookie)
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/s/chuangwen/"+community1+"/thanks" {
			t.Fatalf("POST %d: got %d to %q, want 303 to the thanks page", i+1, res.StatusCode, loc)
		}
	}
	if got := e.respondents(community1); got != 1 {
		t.Errorf("respondents after a double POST: got %d, want 1", got)
	}
	res, page := fetchText(e, "GET", "/s/chuangwen/"+community1+"/thanks", nil)
	if res.StatusCode != 200 || !strings.Contains(page, "提交成功") || !strings.Contains(page, "望江社区") {
		t.Errorf("thanks: got %d %q, want 200 naming 望江社区", res.StatusCode, page)
	}

	t.Run("invalid answers come back marked, the others kept", func(t *testing.T) {
		hidden, cookie := openForm(t, e, community2)
		answers := answersWith(e.def, map[string]any{
			"q4": nil, "q1": "student", "q10": "unsure",
			"q24": []string{"parking", "dogs"}, "q25": "希望多装路灯 <b>", "q26": "yes", "q27": "12345",
		})
		res, page := postForm(t, e, community2, formValues(hidden, answers), cookie)
		if res.StatusCode != 422 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("got %d %s, want 422 HTML", res.StatusCode, res.Header.Get("Content-Type"))
		}
		for _, want := range []string{
			`<fieldset class="q invalid" id="q-q4"`, `<p class="err" id="err-q4">` + survey.MsgChooseOne + `</p>`,
			`<fieldset class="q invalid" id="q-q27"`, `<p class="err" id="err-q27">` + survey.MsgPhone + `</p>`,
			"有 2 道题未填写或填写有误",
			`name="q1" value="student" checked`, `name="q10" value="unsure" checked`,
			`name="q24" value="parking" checked`, `name="q24" value="dogs" checked`, `name="q26" value="yes" checked`,
			`>希望多装路灯 &lt;b&gt;</textarea>`, `value="12345"`,
			`name="client_id" value="` + hidden.Get("client_id") + `"`, `name="started_at" value="` + hidden.Get("started_at") + `"`,
			"滨河社区",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, unwanted := range []string{`name="q1" value="resident" checked`, `name="q24" value="market" checked`, `<fieldset class="q invalid" id="q-q1"`} {
			if strings.Contains(page, unwanted) {
				t.Errorf("page has %q", unwanted)
			}
		}
		if got := e.respondents(community2); got != 0 {
			t.Fatalf("respondents after an invalid POST: got %d, want 0", got)
		}
		// Corrected and sent again from the returned page: stored once.
		answers["q4"], answers["q27"] = "know", "13800138000"
		res, _ = postForm(t, e, community2, formValues(hidden, answers), cookie)
		if res.StatusCode != 303 {
			t.Fatalf("corrected POST: got %d, want 303", res.StatusCode)
		}
		if got := e.respondents(community2); got != 1 {
			t.Errorf("respondents after the corrected POST: got %d, want 1", got)
		}
	})

	t.Run("a second form from the same browser", func(t *testing.T) {
		hidden, _ := openFormAs(t, e, community1, cookie) // a new page, a new client_id and token
		res, page := postForm(t, e, community1, formValues(hidden, fullAnswers(e.def)), cookie)
		if res.StatusCode != 409 || !strings.Contains(page, "您已参与过本轮问卷") {
			t.Errorf("got %d, want 409 saying the device already answered", res.StatusCode)
		}
	})
}

func TestHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		path string
		want map[string]any
	}{
		{"/healthz", map[string]any{"status": "ok"}},
		{"/readyz", map[string]any{"status": "ok", "postgres": "ok", "redis": "ok"}},
	} {
		res, body := e.do("GET", tc.path, nil)
		if res.StatusCode != 200 || len(body) != len(tc.want) {
			t.Errorf("%s: got %d %v, want 200 %v", tc.path, res.StatusCode, body, tc.want)
			continue
		}
		for k, v := range tc.want {
			if body[k] != v {
				t.Errorf("%s: got %v, want %v", tc.path, body, tc.want)
			}
		}
	}
}
