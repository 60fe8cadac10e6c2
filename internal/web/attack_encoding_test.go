package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"minyi/internal/testenv"
)

// TestAttackEncoding sends NUL characters and bytes that are not UTF-8 in paths,
// query parameters, form fields and JSON strings: each is a 400 invalid_encoding with
// a Chinese message, logged without an error, and nothing is stored.
func TestAttackEncoding(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	var logs syncBuffer
	rdb, _ := testenv.Redis(t)
	le := loggedServer(t, e, e.store, rdb, slog.New(slog.NewJSONHandler(&logs, nil)))
	const form, jsonType = "application/x-www-form-urlencoded", "application/json"
	formPath := "/s/chuangwen/" + community1
	sub := func(q25 string) []byte {
		b, _ := json.Marshal(attackJSON(e, nil))
		return bytes.Replace(b, []byte(`"answers":{`), []byte(`"answers":{"q25":"`+q25+`",`), 1)
	}
	visit := []byte(`{"client_id":"` + uuid.NewString() + `","area":"` + community1 + `","household":"1-1-101\u0000","outcome":"refused"}`)
	for _, tc := range []struct {
		name, method, path, ctype string
		body                      []byte
		headers                   []string
	}{
		{"NUL in the path", "GET", "/s/chuangwen/%00", "", nil, nil},
		{"NUL in the path, JSON wanted", "GET", "/s/chuangwen/%00", "", nil, []string{"Accept", "application/json"}},
		{"invalid UTF-8 in the path", "GET", "/s/chuangwen/%ff%fe", "", nil, nil},
		{"NUL in an API path", "GET", "/api/v1/surveys/chuang%00wen", "", nil, e.auth()},
		{"NUL in a query value", "GET", "/api/v1/indicators?survey=chuangwen&area=%00", "", nil, e.auth()},
		{"invalid UTF-8 in a query value", "GET", "/api/v1/indicators?survey=%C3%28&area=" + district, "", nil, e.auth()},
		{"NUL in a query key", "GET", "/login?next%00=1", "", nil, nil},
		{"NUL in a form field", "POST", formPath, form, attackForm(e, url.Values{"q25": {"a\x00b"}}), nil},
		{"invalid UTF-8 in a form field", "POST", formPath, form, attackForm(e, url.Values{"q25": {"a\xffb"}}), nil},
		{"NUL in the sign-in form", "POST", "/login", form, []byte("username=admin%00&password=x"), nil},
		{"NUL in a JSON string", "POST", "/api/v1/responses", jsonType, sub(`a\u0000b`), nil},
		{"invalid UTF-8 in a JSON string", "POST", "/api/v1/responses", jsonType, sub("a\xff\xfeb"), nil},
		{"a lone surrogate in a JSON string", "POST", "/api/v1/responses", jsonType, sub(`a\ud800b`), nil},
		{"NUL in a JSON key", "POST", "/api/v1/responses", jsonType, bytes.Replace(sub("x"), []byte(`"q25"`), []byte(`"q\u000025"`), 1), nil},
		{"NUL in a visit", "POST", "/api/v1/visits", jsonType, visit, e.auth()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := sendBody(le, tc.method, tc.path, tc.ctype, tc.body, false, tc.headers...)
			if res.StatusCode != 400 || !hasHan(body) {
				t.Errorf("got %d %.300s, want 400 with a Chinese message", res.StatusCode, body)
			}
			if strings.HasPrefix(tc.path, "/api/") || len(tc.headers) > 0 && tc.headers[0] == "Accept" {
				if got := decoded([]byte(body))["error"]; got != "invalid_encoding" {
					t.Errorf("error code: got %v, want invalid_encoding", got)
				}
			}
		})
	}
	if out := logs.String(); strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("the log has errors:\n%s", out)
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM responses) + (SELECT count(*) FROM visits)`).Scan(&n); err != nil || n != 0 {
		t.Errorf("responses and visits stored: got %d (%v), want 0", n, err)
	}
	// Escaped backslashes are text, not escapes.
	token, device := le.formToken("chuangwen", community1, nil)
	escaped := bytes.Replace(sub(`a\\u0000b \\ud800`), []byte(`"client_id"`), []byte(`"form_token":"`+token+`","client_id"`), 1)
	res, body := sendBody(le, "POST", "/api/v1/responses", jsonType, escaped, false, device...)
	if res.StatusCode != 201 {
		t.Errorf(`"a\\u0000b": got %d %s, want 201`, res.StatusCode, body)
	}
}

func TestCleanJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{"a":"b"}`, true},
		{`{"a":"文明 😀"}`, true},
		{`{"a":"\ud83d\ude00"}`, true},
		{`{"a":"\\u0000"}`, true},
		{`{"a":"\\\\\u00e9"}`, true},
		{`{"a":"\n\t\"\/"}`, true},
		{`{"a":"\u0000"}`, false},
		{`{"a":"\\\u0000"}`, false},
		{`{"\u0000":1}`, false},
		{`{"a":"\ud83d"}`, false},
		{`{"a":"\ud83dx"}`, false},
		{`{"a":"\ud83d\n"}`, false},
		{`{"a":"\ude00"}`, false},
		{"{\"a\":\"\xff\"}", false},
		{"{\"a\":\"\x00\"}", false},
		{`{"a":"\u00`, true}, // malformed: left to the decoder
	} {
		if got := cleanJSON([]byte(tc.in)); got != tc.want {
			t.Errorf("cleanJSON(%q): got %v, want %v", tc.in, got, tc.want)
		}
	}
}
