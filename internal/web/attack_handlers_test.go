package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"minyi/internal/area"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
	"minyi/internal/testenv"
)

// These tests play a hostile client: oversize bodies, injection payloads, spoofed
// headers, and a look at what the logs keep.

// attackJSON is a submission for community1 with fullAnswers changed by edit.
func attackJSON(e *testEnv, edit map[string]any) map[string]any {
	answers := fullAnswers(e.def)
	for k, v := range edit {
		answers[k] = v
	}
	return map[string]any{"survey": "chuangwen", "area": community1, "client_id": uuid.NewString(), "answers": answers}
}

// attackForm is the plain form body for community1: fullAnswers, changed by edit.
func attackForm(e *testEnv, edit url.Values) []byte {
	v := url.Values{"client_id": {uuid.NewString()}}
	for k, a := range fullAnswers(e.def) {
		v.Set(k, a.(string))
	}
	for k, a := range edit {
		v[k] = a
	}
	return []byte(v.Encode())
}

// manyKeys is a JSON submission whose answers hold as many distinct unknown keys as fit
// in size bytes, and their number.
func manyKeys(sub map[string]any, size int) ([]byte, int) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	head, _ := json.Marshal(sub)
	answers := bytes.Index(head, []byte(`"answers":{`)) + len(`"answers":{`)
	var b bytes.Buffer
	b.Write(head[:answers])
	n := 0
	key := []byte{}
	for next := 0; ; next++ {
		// the next key in the order a, b, …, 9, aa, ab, …
		key = key[:0]
		for i := next; ; i = i/len(alphabet) - 1 {
			key = append([]byte{alphabet[i%len(alphabet)]}, key...)
			if i < len(alphabet) {
				break
			}
		}
		entry := `"x` + string(key) + `":0,`
		if b.Len()+len(entry)+len(head)-answers > size {
			break
		}
		b.WriteString(entry)
		n++
	}
	b.Write(head[answers:])
	return b.Bytes(), n
}

func TestAttackOversize(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	const form = "application/x-www-form-urlencoded"
	// One resident's form token and device: nothing below is stored, so it stays good.
	token, device := e.formToken("chuangwen", community1, nil)
	withToken := func(sub map[string]any) map[string]any { sub["form_token"] = token; return sub }
	bigJSON, _ := json.Marshal(withToken(attackJSON(e, map[string]any{"q25": strings.Repeat("很", 30000)})))
	bigForm := attackForm(e, url.Values{"q25": {strings.Repeat("很", 30000)}, "form_token": {token}})
	longJSON, _ := json.Marshal(withToken(attackJSON(e, map[string]any{"q25": strings.Repeat("很", 501)})))
	keys, nkeys := manyKeys(withToken(attackJSON(e, nil)), 64000) // BodyLimit("64K") is 64,000 bytes
	formPath := "/s/chuangwen/" + community1
	junk := url.Values{}
	for i := range 10000 {
		junk.Set(strconv.Itoa(i), "")
	}
	for _, tc := range []struct {
		name    string
		path    string
		ctype   string
		body    []byte
		chunked bool
		status  int
		want    string // in the reply
	}{
		{name: "JSON over 64 KB", path: "/api/v1/responses", ctype: "application/json", body: bigJSON,
			status: 413, want: `"error":"too_large"`},
		{name: "JSON over 64 KB, chunked", path: "/api/v1/responses", ctype: "application/json", body: bigJSON, chunked: true,
			status: 413, want: `"error":"too_large"`},
		{name: "form over 64 KB", path: formPath, ctype: form, body: bigForm,
			status: 413, want: "提交的内容过大"},
		{name: "form over 64 KB, chunked", path: formPath, ctype: form, body: bigForm, chunked: true,
			status: 413, want: "提交的内容过大"},
		{name: "JSON text answer over its max", path: "/api/v1/responses", ctype: "application/json", body: longJSON,
			status: 422, want: `"q25":"最多填写500个字"`},
		{name: "form text answer over its max", path: formPath, ctype: form, body: attackForm(e, url.Values{"q25": {strings.Repeat("很", 501)}, "form_token": {token}}),
			status: 422, want: "最多填写500个字"},
		// 10,000 distinct keys do not fit in 64,000 bytes of JSON ("xa":0, is 7 bytes).
		{name: fmt.Sprintf("%d unknown keys in %d bytes", nkeys, len(keys)), path: "/api/v1/responses", ctype: "application/json", body: keys,
			status: 422, want: `"x0":"问卷中没有这道题"`},
		// Go's url.ParseQuery refuses more than 10,000 fields.
		{name: "form with 10,000 unknown fields", path: formPath, ctype: form, body: attackForm(e, junk),
			status: 400, want: "提交内容有误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := sendBody(e, "POST", tc.path, tc.ctype, tc.body, tc.chunked, device...)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("got %d %.300s, want %d with %s", res.StatusCode, body, tc.status, tc.want)
			}
			if len(body) > 32<<10 {
				t.Errorf("replied %d bytes to %d, want a short reply", len(body), len(tc.body))
			}
		})
	}
	if got := e.respondents(district); got != 0 {
		t.Errorf("respondents: got %d, want 0", got)
	}
}

// attackPayloads are text answers and area names that must be stored as they are and
// shown as text.
var attackPayloads = []string{
	`'; DROP TABLE responses; --`,
	`Robert'); DROP TABLE areas;--`,
	`' OR '1'='1`,
	`$$; SELECT pg_sleep(10); $$ $1::jsonb`,
	`"}, "q1": "x`,
	`\x00 \u0000 \\ \n`, // backslash sequences, not control characters
	"文明城市 😀 𠮷 e\u0301 \u202eRTL\u202c",
	`<script>alert(1)</script>`,
	`" onmouseover="x`,
	`<img src=x onerror=alert(1)>`,
	"第一行\n第二行",
}

func TestAttackTextStoredVerbatim(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	stored := 0
	for _, p := range attackPayloads {
		t.Run(p, func(t *testing.T) {
			sub := attackJSON(e, map[string]any{"q25": p})
			res, body := e.do("POST", "/api/v1/responses", sub)
			if res.StatusCode != 201 {
				t.Fatalf("got %d %v, want 201", res.StatusCode, body)
			}
			stored++
			var got string
			if err := e.pool.QueryRow(ctx, `SELECT answers->>'q25' FROM responses WHERE client_id = $1`, sub["client_id"]).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != p {
				t.Errorf("stored %q, want %q", got, p)
			}
		})
	}
	for _, tc := range []struct{ name, text string }{
		{"escape", "a\x1b[2Jb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do("POST", "/api/v1/responses", attackJSON(e, map[string]any{"q25": tc.text}))
			fields, _ := body["fields"].(map[string]any)
			if msg, _ := fields["q25"].(string); res.StatusCode != 422 || !hasHan(msg) {
				t.Errorf("got %d %v, want 422 with a Chinese message for q25", res.StatusCode, body)
			}
		})
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&n); err != nil || n != stored {
		t.Errorf("responses: got %d (%v), want %d", n, err, stored)
	}

	// The plain form shows an invalid submission back: as text, in its textarea.
	const breakout = `</textarea><script>alert(1)</script>`
	token, device := e.formToken("chuangwen", community1, nil)
	body := attackForm(e, url.Values{"q25": {breakout}, "q4": {""}, "form_token": {token}})
	res, page := sendBody(e, "POST", "/s/chuangwen/"+community1, "application/x-www-form-urlencoded", body, false, device...)
	if res.StatusCode != 422 || strings.Contains(page, breakout) || !strings.Contains(page, html.EscapeString(breakout)) {
		t.Errorf("form shown again: got %d, want 422 with %s escaped", res.StatusCode, breakout)
	}
}

func TestAttackAreaNamesEscaped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(area.Header)
	codes := map[string]string{}
	for i, name := range attackPayloads {
		if strings.ContainsAny(name, "\n") {
			continue // names are one line
		}
		code := fmt.Sprintf("9901000019%02d", i)
		codes[code] = name
		w.Write([]string{code, name, "community", street1, "100", "true"})
	}
	w.Flush()
	rows, err := area.ParseCSV("hostile.csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.ImportAreas(ctx, "hostile.csv", rows); err != nil {
		t.Fatal(err)
	}
	for code, name := range codes {
		var got string
		if err := e.pool.QueryRow(ctx, `SELECT name FROM areas WHERE code = $1`, code).Scan(&got); err != nil || got != name {
			t.Errorf("stored %q (%v), want %q", got, err, name)
		}
		for _, page := range []string{"/s/chuangwen/" + code, "/posters/chuangwen/" + code, "/s/chuangwen/" + code + "/thanks"} {
			res, body := sendBody(e, "GET", page, "", nil, false, e.auth()...)
			if res.StatusCode != 200 {
				t.Errorf("%s: got %d, want 200", page, res.StatusCode)
				continue
			}
			if strings.ContainsAny(name, `<>"'&`) && strings.Contains(body, name) {
				t.Errorf("%s: the name %q appears unescaped", page, name)
			}
			if !strings.Contains(body, html.EscapeString(name)) {
				t.Errorf("%s: got no %q", page, html.EscapeString(name))
			}
		}
	}
}

// syncBuffer is a bytes.Buffer that handlers may write to concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// loggedServer serves e's data through a server of its own that logs to log, with
// store st and Redis rdb.
func loggedServer(t *testing.T, e *testEnv, st *store.Store, rdb *redis.Client, log *slog.Logger) *testEnv {
	_, prefix := testenv.Redis(t)
	lim := ratelimit.New(rdb, prefix, log, ratelimit.WithTimeout(200*time.Millisecond))
	hs := httptest.NewServer(New(e.cfg, st, rdb, lim, log).Handler())
	t.Cleanup(hs.Close)
	le := *e
	le.http = hs
	return &le
}

func TestAttackSecretsNotLogged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rdb, _ := testenv.Redis(t)
	good := loggedServer(t, e, e.store, rdb, log)
	// broken has a database deadline no call can meet and no Redis: every request
	// that reaches either fails, and says so in the log.
	downRedis := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { downRedis.Close() })
	broken := loggedServer(t, e, store.New(e.pool, time.Nanosecond, e.cfg.Location), downRedis, log)

	res, _ := good.do("GET", "/s/chuangwen/"+community1, nil)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == deviceCookie {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("got no device cookie")
	}
	bad := "myt_" + strings.Repeat("Z", 43)
	withCookie := []string{"Cookie", deviceCookie + "=" + cookie.Value}
	for _, tc := range []struct {
		name    string
		env     *testEnv
		method  string
		path    string
		body    any
		headers []string
		status  int
	}{
		{"valid token reads", good, "GET", "/api/v1/indicators?survey=chuangwen&area=" + district, nil, e.auth(), 200},
		{"valid token submits", good, "POST", "/api/v1/responses", attackJSON(e, nil), e.auth(), 201},
		{"invalid token reads", good, "GET", "/api/v1/surveys", nil, []string{"Authorization", "Bearer " + bad}, 401},
		{"invalid token submits", good, "POST", "/api/v1/responses", attackJSON(e, nil), []string{"Authorization", "Bearer " + bad}, 401},
		{"token as basic auth", good, "GET", "/api/v1/surveys", nil, []string{"Authorization", "Basic " + e.token}, 401},
		{"device submits", good, "POST", "/api/v1/responses", attackJSON(e, nil), withCookie, 201},
		{"device submits twice", good, "POST", "/api/v1/responses", attackJSON(e, nil), withCookie, 409},
		{"valid token, database down", broken, "GET", "/api/v1/surveys", nil, e.auth(), 503},
		{"invalid token, database down", broken, "POST", "/api/v1/responses", attackJSON(e, nil), []string{"Authorization", "Bearer " + bad}, 503},
		{"device, database and Redis down", broken, "POST", "/api/v1/responses", attackJSON(e, nil), withCookie, 503},
		{"form, database down", broken, "GET", "/s/chuangwen/" + community1, nil, withCookie, 503},
	} {
		res, body := tc.env.do(tc.method, tc.path, tc.body, tc.headers...)
		if res.StatusCode != tc.status {
			t.Errorf("%s: got %d %v, want %d", tc.name, res.StatusCode, body, tc.status)
		}
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"request"`) || !strings.Contains(out, `"err":"`) {
		t.Fatalf("the log lacks requests or their errors:\n%s", out)
	}
	id, sig, _ := strings.Cut(cookie.Value, ".")
	for name, secret := range map[string]string{
		"API token":          e.token,
		"API token, no myt_": strings.TrimPrefix(e.token, "myt_"),
		"invalid token":      bad,
		"device cookie":      cookie.Value,
		"device id":          id,
		"cookie signature":   sig,
		"device hash":        good.srv.deviceHash(id),
		"MINYI_SECRET":       hex.EncodeToString(e.cfg.Secret),
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains the %s %q", name, secret)
		}
	}
}
