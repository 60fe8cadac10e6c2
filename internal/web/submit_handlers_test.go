package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"minyi/internal/config"
	"minyi/internal/survey"
)

// answersWith is fullAnswers with some answers changed; a nil value removes one.
func answersWith(def *survey.Definition, changes map[string]any) map[string]any {
	a := fullAnswers(def)
	for k, v := range changes {
		if v == nil {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	return a
}

// newSubmission builds a JSON submission for an area with a fresh client_id.
func newSubmission(code string, answers map[string]any) map[string]any {
	return map[string]any{"survey": "chuangwen", "area": code, "client_id": uuid.NewString(), "answers": answers}
}

// withFields returns a copy of a submission with some top-level fields changed.
func withFields(sub map[string]any, changes map[string]any) map[string]any {
	out := maps.Clone(sub)
	maps.Copy(out, changes)
	return out
}

// hasHan reports whether s contains Chinese characters.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// checkError checks an error reply: its status, its stable code and a Chinese message.
func checkError(t *testing.T, res *http.Response, body map[string]any, status int, code string) {
	t.Helper()
	if res.StatusCode != status {
		t.Errorf("status: got %d, want %d (%v)", res.StatusCode, status, body)
	}
	if got := body["error"]; got != code {
		t.Errorf("error: got %v, want %s", got, code)
	}
	if msg, _ := body["message"].(string); !hasHan(msg) {
		t.Errorf("message: got %q, want a Chinese message", msg)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type: got %q, want application/json", ct)
	}
}

// checkCreated checks a 201 reply and returns its id.
func checkCreated(t *testing.T, res *http.Response, body map[string]any) string {
	t.Helper()
	if res.StatusCode != 201 || body["replayed"] != false {
		t.Fatalf("got %d %v, want 201 with replayed false", res.StatusCode, body)
	}
	id, _ := body["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Fatalf("id: got %q, want a UUID", id)
	}
	return id
}

func deviceCookieOf(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == deviceCookie {
			return c
		}
	}
	return nil
}

func TestSubmitResponses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	outside := "990100003299" // a village excluded from the questionnaire
	importOutOfScope(t, e, outside)
	valid := func() map[string]any { return newSubmission(community1, fullAnswers(e.def)) }
	invalid := func(changes map[string]any) map[string]any {
		return newSubmission(community1, answersWith(e.def, changes))
	}
	big := invalid(map[string]any{"q25": strings.Repeat("很", 30000)}) // 90 KB of UTF-8
	bigJSON, _ := json.Marshal(big)
	for _, tc := range []struct {
		name    string
		body    map[string]any
		raw     []byte // sent as is instead of body
		chunked bool
		headers []string
		status  int
		code    string            // error code; "" for a 201
		fields  map[string]string // the fields of a 422, exactly
	}{
		{name: "created", body: valid(), status: 201},
		{name: "created with channel qr", body: withFields(valid(), map[string]any{"channel": "qr"}), status: 201},
		{name: "token, channel paper", body: withFields(valid(), map[string]any{"channel": "paper"}), headers: e.auth(), status: 201},
		{name: "token, default channel", body: valid(), headers: e.auth(), status: 201},
		{name: "required answer missing", body: invalid(map[string]any{"q4": nil}), status: 422, code: "invalid",
			fields: map[string]string{"q4": "请选择一项"}},
		{name: "two answers missing", body: invalid(map[string]any{"q4": nil, "q21": ""}), status: 422, code: "invalid",
			fields: map[string]string{"q4": "请选择一项", "q21": "请选择一项"}},
		{name: "unknown option", body: invalid(map[string]any{"q10": "maybe"}), status: 422, code: "invalid",
			fields: map[string]string{"q10": "选项无效，请重新选择"}},
		{name: "list for a single question", body: invalid(map[string]any{"q10": []string{"support", "oppose"}}), status: 422, code: "invalid",
			fields: map[string]string{"q10": "此题只能选择一项"}},
		{name: "too many choices", body: invalid(map[string]any{"q24": []string{"parking", "dogs", "market", "other"}}), status: 422, code: "invalid",
			fields: map[string]string{"q24": "最多选择3项"}},
		{name: "bad phone when asked for", body: invalid(map[string]any{"q26": "yes", "q27": "12345"}), status: 422, code: "invalid",
			fields: map[string]string{"q27": "请填写正确的手机号或固定电话"}},
		{name: "unknown question", body: invalid(map[string]any{"q99": "know"}), status: 422, code: "invalid",
			fields: map[string]string{"q99": "问卷中没有这道题"}},
		{name: "client_id not a UUID", body: withFields(valid(), map[string]any{"client_id": "abc"}), status: 422, code: "invalid",
			fields: map[string]string{"client_id": "client_id 应为 UUID"}},
		{name: "client_id missing", body: withFields(valid(), map[string]any{"client_id": ""}), status: 422, code: "invalid",
			fields: map[string]string{"client_id": "client_id 应为 UUID"}},
		{name: "client_id nil UUID", body: withFields(valid(), map[string]any{"client_id": uuid.Nil.String()}), status: 422, code: "invalid",
			fields: map[string]string{"client_id": "client_id 应为 UUID"}},
		{name: "token, unknown channel", body: withFields(valid(), map[string]any{"channel": "mail"}), headers: e.auth(), status: 422, code: "invalid",
			fields: map[string]string{"channel": "登录后录入的问卷渠道应为 volunteer（入户）或 paper（纸质）"}},
		{name: "token, channel qr", body: withFields(valid(), map[string]any{"channel": "qr"}), headers: e.auth(), status: 422, code: "invalid",
			fields: map[string]string{"channel": "登录后录入的问卷渠道应为 volunteer（入户）或 paper（纸质）"}},
		{name: "malformed JSON", raw: []byte(`{"survey": "chuangwen", "answers": {`), status: 400, code: "bad_request"},
		{name: "answers not an object", raw: []byte(`{"survey": "chuangwen", "area": "` + community1 + `", "answers": "q4"}`), status: 400, code: "bad_request"},
		{name: "body over 64 KB", raw: bigJSON, status: 413, code: "too_large"},
		{name: "body over 64 KB, chunked", raw: bigJSON, chunked: true, status: 413, code: "too_large"},
		{name: "unknown survey", body: withFields(valid(), map[string]any{"survey": "nope"}), status: 404, code: "not_found"},
		{name: "unknown area", body: withFields(valid(), map[string]any{"area": "000000000000"}), status: 404, code: "not_found"},
		{name: "out-of-scope area", body: withFields(valid(), map[string]any{"area": outside}), status: 404, code: "not_found"},
		{name: "anonymous, channel volunteer", body: withFields(valid(), map[string]any{"channel": "volunteer"}), status: 401, code: "unauthorized"},
		{name: "anonymous, channel paper", body: withFields(valid(), map[string]any{"channel": "paper"}), status: 401, code: "unauthorized"},
		{name: "unknown token", body: valid(), headers: []string{"Authorization", "Bearer myt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, status: 401, code: "unauthorized"},
		{name: "token without the myt_ prefix", body: valid(), headers: []string{"Authorization", "Bearer " + strings.TrimPrefix(e.token, "myt_")}, status: 401, code: "unauthorized"},
		{name: "not a bearer token", body: valid(), headers: []string{"Authorization", "Basic " + e.token}, status: 401, code: "unauthorized"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var res *http.Response
			var body map[string]any
			if tc.raw != nil {
				res, body = rawPost(e, "/api/v1/responses", "application/json", tc.raw, tc.chunked, tc.headers...)
			} else {
				res, body = e.do("POST", "/api/v1/responses", tc.body, tc.headers...)
			}
			if tc.code == "" {
				checkCreated(t, res, body)
				return
			}
			checkError(t, res, body, tc.status, tc.code)
			if tc.fields == nil {
				if _, ok := body["fields"]; ok && tc.status != 400 {
					t.Errorf("fields: got %v, want none", body["fields"])
				}
				return
			}
			got := map[string]string{}
			if f, ok := body["fields"].(map[string]any); ok {
				for k, v := range f {
					got[k], _ = v.(string)
				}
			}
			if !maps.Equal(got, tc.fields) {
				t.Errorf("fields: got %v, want %v", got, tc.fields)
			}
		})
	}
	// Only the four 201s were counted, each in its channel: residents' as qr, a token's
	// as volunteer unless it says otherwise. No error stored anything.
	for _, tc := range []struct {
		channel string
		want    int
	}{{"", 4}, {"qr", 2}, {"volunteer", 1}, {"paper", 1}} {
		var got indicatorsJSON
		e.getJSON("/api/v1/indicators?survey=chuangwen&area="+district+"&channel="+tc.channel, &got, e.auth()...)
		if len(got.Rows) != 1 || got.Rows[0].Respondents != tc.want {
			t.Errorf("respondents in channel %q: got %+v, want %d", tc.channel, got.Rows, tc.want)
		}
	}
}

// TestSubmitHiddenAnswerDropped shows that an answer to a question hidden by show_if is
// not stored: a replay without it is the same submission, while the same change to a
// visible answer is a conflict.
func TestSubmitHiddenAnswerDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		name         string
		first, again map[string]any
		want         int
	}{
		{"q27 without q26", map[string]any{"q27": "13800138000"}, map[string]any{}, 200},
		{"q27 with q26 no", map[string]any{"q26": "no", "q27": "13800138000"}, map[string]any{"q26": "no"}, 200},
		{"hidden q27 is not even validated", map[string]any{"q27": "not a phone"}, map[string]any{}, 200},
		{"q27 with q26 yes is kept", map[string]any{"q26": "yes", "q27": "13800138000"}, map[string]any{"q26": "yes"}, 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := newSubmission(community1, answersWith(e.def, tc.first))
			res, body := e.do("POST", "/api/v1/responses", sub, e.auth()...)
			id := checkCreated(t, res, body)
			again := withFields(sub, map[string]any{"answers": answersWith(e.def, tc.again)})
			res, body = e.do("POST", "/api/v1/responses", again, e.auth()...)
			if res.StatusCode != tc.want {
				t.Fatalf("resubmitted without q27: got %d %v, want %d", res.StatusCode, body, tc.want)
			}
			if tc.want == 200 && (body["id"] != id || body["replayed"] != true) {
				t.Errorf("replay: got %v, want id %s replayed", body, id)
			}
		})
	}
}

func TestSubmitReplay(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	sub := newSubmission(community1, answersWith(e.def, map[string]any{"q24": []string{"parking", "sanitation"}}))
	token, device := e.formToken("chuangwen", community1, nil)
	sub["form_token"] = token
	res, body := e.do("POST", "/api/v1/responses", sub, device...)
	id := checkCreated(t, res, body)
	// A retry comes from the same device with the same token; a signed-in user's
	// entry under the same client_id is other content.
	for _, tc := range []struct {
		name    string
		body    map[string]any
		headers []string
		status  int
		code    string
	}{
		{"same content", sub, device, 200, ""},
		{"same content, new token", withFields(sub, map[string]any{"form_token": nil}), device, 200, ""},
		{"same content, choices reordered and repeated",
			withFields(sub, map[string]any{"answers": answersWith(e.def, map[string]any{"q24": []string{"sanitation", "parking", "parking"}})}), device, 200, ""},
		{"other content", withFields(sub, map[string]any{"answers": answersWith(e.def, map[string]any{"q4": "dont_know"})}), device, 409, "conflict"},
		{"other area", withFields(sub, map[string]any{"area": community2, "form_token": nil}), device, 409, "conflict"},
		{"other channel", withFields(sub, map[string]any{"channel": "paper"}), e.auth(), 409, "conflict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do("POST", "/api/v1/responses", tc.body, tc.headers...)
			if tc.code != "" {
				checkError(t, res, body, tc.status, tc.code)
				return
			}
			if res.StatusCode != tc.status || body["id"] != id || body["replayed"] != true {
				t.Errorf("got %d %v, want %d with id %s and replayed true", res.StatusCode, body, tc.status, id)
			}
		})
	}
	if got := e.respondents(district); got != 1 {
		t.Errorf("respondents: got %d, want 1", got)
	}
}

func TestSubmitRoundClosed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	if _, err := e.store.CloseRound(context.Background(), "chuangwen", time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, headers := range [][]string{nil, e.auth()} {
		res, body := e.do("POST", "/api/v1/responses", newSubmission(community1, fullAnswers(e.def)), headers...)
		checkError(t, res, body, 410, "round_closed")
	}
	if got := e.respondents(district); got != 0 {
		t.Errorf("respondents: got %d, want 0", got)
	}
}

// TestSubmitDevice: one response per device cookie and round for residents; a forged
// cookie is replaced, not believed; token submissions are not bound by the rule.
func TestSubmitDevice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	// post opens the form with the device cookie given, if any, and sends a response
	// with its token; it returns the reply and the device cookie the form set, if any.
	// With headers (a bearer token) it sends a paper entry instead.
	post := func(cookie string, headers ...string) (*http.Response, map[string]any, *http.Cookie) {
		t.Helper()
		sub := newSubmission(community1, fullAnswers(e.def))
		var ck []string
		if cookie != "" {
			ck = []string{"Cookie", deviceCookie + "=" + cookie}
		}
		if len(headers) > 0 {
			sub["channel"] = "paper"
			res, body := e.do("POST", "/api/v1/responses", sub, append(headers, ck...)...)
			return res, body, deviceCookieOf(res)
		}
		res, page := e.send("GET", "/s/chuangwen/"+community1, nil, ck...)
		set := deviceCookieOf(res)
		if set != nil {
			ck = []string{"Cookie", set.Name + "=" + set.Value}
		}
		sub["form_token"] = string(formTokenInput.FindSubmatch(page)[1])
		res, body := e.do("POST", "/api/v1/responses", sub, ck...)
		return res, body, set
	}
	res, body, first := post("")
	checkCreated(t, res, body)
	if first == nil || !first.HttpOnly || first.Path != "/" || first.MaxAge <= 0 {
		t.Fatalf("device cookie: got %+v, want a lasting HttpOnly cookie on /", first)
	}
	id, sig, ok := strings.Cut(first.Value, ".")
	if !ok {
		t.Fatalf("device cookie %q: want id.signature", first.Value)
	}
	forgedSig := []byte(sig)
	if forgedSig[0] == '0' {
		forgedSig[0] = '1'
	} else {
		forgedSig[0] = '0'
	}

	res, body, _ = post(first.Value)
	checkError(t, res, body, 409, "duplicate_device")

	for _, tc := range []struct {
		name, cookie string
	}{
		{"forged signature", id + "." + string(forgedSig)},
		{"no signature", id},
		{"signature of another id", "AAAAAAAAAAAAAAAAAAAAAA." + sig},
		{"garbage", "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body, fresh := post(tc.cookie)
			checkCreated(t, res, body)
			if fresh == nil || fresh.Value == tc.cookie || fresh.Value == first.Value {
				t.Fatalf("cookie after a forged one: got %+v, want a new signed cookie", fresh)
			}
			// The replacement is the device from now on.
			res, body, _ = post(fresh.Value)
			checkError(t, res, body, 409, "duplicate_device")
		})
	}

	t.Run("token submissions skip the device rule", func(t *testing.T) {
		for i := range 2 {
			res, body, c := post(first.Value, e.auth()...)
			checkCreated(t, res, body)
			if c != nil {
				t.Errorf("submission %d: got a device cookie %q, want none for token submissions", i, c.Value)
			}
		}
	})
	if got := e.respondents(community1); got != 1+4+2 {
		t.Errorf("respondents: got %d, want %d", got, 1+4+2)
	}
}

func TestSubmitRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.Limits.PerIP = 2 })
	for i, want := range []int{201, 201, 429, 429} {
		res, body := e.do("POST", "/api/v1/responses", newSubmission(community1, fullAnswers(e.def)))
		if res.StatusCode != want {
			t.Fatalf("submission %d: got %d %v, want %d", i+1, res.StatusCode, body, want)
		}
		if want != 429 {
			continue
		}
		checkError(t, res, body, 429, "rate_limited")
		if n, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || n < 1 || n > 60 {
			t.Errorf("Retry-After: got %q, want whole seconds in [1, 60]", res.Header.Get("Retry-After"))
		}
	}
	// Tokens have their own budget.
	res, body := e.do("POST", "/api/v1/responses", newSubmission(community1, fullAnswers(e.def)), e.auth()...)
	checkCreated(t, res, body)
	if got := e.respondents(district); got != 3 {
		t.Errorf("respondents: got %d, want 3: nothing stored for a 429", got)
	}
}

// TestSubmitForwardedFor: X-Forwarded-For decides the client IP only when the peer is
// a trusted proxy.
func TestSubmitForwardedFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		proxies []netip.Prefix
		xff     []string
		want    []int
	}{
		{"untrusted peer: header ignored", nil,
			[]string{"203.0.113.1", "203.0.113.2", "203.0.113.3"}, []int{201, 201, 429}},
		{"other proxy trusted: header ignored", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			[]string{"203.0.113.1", "203.0.113.2", "203.0.113.3"}, []int{201, 201, 429}},
		{"trusted proxy: one budget per client", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
			[]string{"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.1", "203.0.113.1"},
			[]int{201, 201, 201, 201, 429}},
		{"trusted proxy: client-supplied hops before it are not believed", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
			[]string{"198.51.100.7, 203.0.113.9", "198.51.100.8, 203.0.113.9", "198.51.100.9, 203.0.113.9"},
			[]int{201, 201, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil, func(c *config.Config) {
				c.Limits.PerIP = 2
				c.TrustedProxies = tc.proxies
			})
			for i, xff := range tc.xff {
				res, body := e.do("POST", "/api/v1/responses", newSubmission(community1, fullAnswers(e.def)), "X-Forwarded-For", xff)
				if res.StatusCode != tc.want[i] {
					t.Errorf("submission %d from %s: got %d %v, want %d", i+1, xff, res.StatusCode, body["error"], tc.want[i])
				}
			}
		})
	}
}

// postAll sends n submissions at once, after a common start, and returns each status
// and id. It is safe to call from the test goroutine only.
func postAll(t *testing.T, e *testEnv, bodies []map[string]any, headers ...string) (statuses []int, ids []string) {
	t.Helper()
	statuses, ids = make([]int, len(bodies)), make([]string, len(bodies))
	errs := make([]error, len(bodies))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, b := range bodies {
		wg.Go(func() {
			raw, _ := json.Marshal(b)
			req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/responses", bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			for j := 0; j+1 < len(headers); j += 2 {
				req.Header.Set(headers[j], headers[j+1])
			}
			<-start
			res, err := e.client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer res.Body.Close()
			var out struct{ ID string }
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
				errs[i] = fmt.Errorf("status %d: %v", res.StatusCode, err)
			}
			statuses[i], ids[i] = res.StatusCode, out.ID
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	return statuses, ids
}

func TestSubmitConcurrentReplays(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	sub := newSubmission(community1, fullAnswers(e.def))
	token, device := e.formToken("chuangwen", community1, nil)
	sub["form_token"] = token
	bodies := make([]map[string]any, 50)
	for i := range bodies {
		bodies[i] = sub
	}
	statuses, ids := postAll(t, e, bodies, device...)
	created := 0
	for i, s := range statuses {
		switch s {
		case 201:
			created++
		case 200:
		default:
			t.Errorf("request %d: got %d, want 200 or 201", i, s)
		}
		if ids[i] != ids[0] {
			t.Errorf("request %d: got id %s, want %s like the others", i, ids[i], ids[0])
		}
	}
	if created != 1 {
		t.Errorf("201s: got %d, want 1", created)
	}
	if got := e.respondents(community1); got != 1 {
		t.Errorf("respondents: got %d, want 1", got)
	}
}

func TestSubmitConcurrentDistinct(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	codes := []string{community1, community2, community3}
	bodies := make([]map[string]any, 100)
	for i := range bodies {
		bodies[i] = newSubmission(codes[i%len(codes)], answersWith(e.def, map[string]any{"q4": []string{"know", "dont_know"}[i%2]}))
	}
	// 20 clients, 5 submissions each, all at once.
	statuses := make([]int, 0, len(bodies))
	ids := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range 20 {
		wg.Go(func() {
			for _, b := range bodies[c*5 : c*5+5] {
				raw, _ := json.Marshal(b)
				req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/responses", bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token)
				status, id := 0, ""
				if res, err := e.client.Do(req); err == nil {
					var out struct{ ID string }
					json.NewDecoder(res.Body).Decode(&out)
					res.Body.Close()
					status, id = res.StatusCode, out.ID
				}
				mu.Lock()
				statuses, ids[id] = append(statuses, status), true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 201 {
			t.Errorf("submission %d: got %d, want 201", i, s)
		}
	}
	if len(ids) != 100 {
		t.Errorf("distinct ids: got %d, want 100", len(ids))
	}
	if got := e.respondents(district); got != 100 {
		t.Errorf("respondents: got %d, want 100", got)
	}
}

// TestSubmitRedisDown: without Redis, submissions are still stored and limits still
// hold, per process; the service reports itself degraded, not down.
func TestSubmitRedisDown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		perIP int
		want  []int
	}{
		{"default limits", 120, []int{201, 201, 201}},
		{"limits held in-process", 2, []int{201, 201, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true, MaxRetries: -1})
			t.Cleanup(func() { rdb.Close() })
			e := newEnv(t, rdb, func(c *config.Config) { c.Limits.PerIP = tc.perIP })
			created := 0
			for i, want := range tc.want {
				start := time.Now()
				res, body := e.do("POST", "/api/v1/responses", newSubmission(community1, fullAnswers(e.def)))
				if res.StatusCode != want {
					t.Errorf("submission %d: got %d %v, want %d", i+1, res.StatusCode, body, want)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("submission %d took %v with Redis down, want well under 2s", i+1, d)
				}
				if res.StatusCode == 201 {
					created++
				}
			}
			if got := e.respondents(district); got != created {
				t.Errorf("respondents: got %d, want %d", got, created)
			}
			res, body := e.do("GET", "/readyz", nil)
			if res.StatusCode != 200 || body["status"] != "degraded" || body["redis"] != "down" || body["postgres"] != "ok" {
				t.Errorf("readyz: got %d %v, want 200 degraded, redis down, postgres ok", res.StatusCode, body)
			}
		})
	}
}
