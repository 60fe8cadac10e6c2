package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"minyi/internal/account"
	"minyi/internal/config"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/testenv"
)

// testEnv is a whole server on its own database and Redis key space, loaded with the
// demo areas and the default survey with a round open.
type testEnv struct {
	t      *testing.T
	srv    *Server
	http   *httptest.Server
	store  *store.Store
	pool   *pgxpool.Pool
	def    *survey.Definition
	round  store.Round
	token  string
	cfg    config.Config
	client *http.Client
}

// Demo area codes used by the tests.
const (
	district   = "990100000000"
	street1    = "990100001000"
	street2    = "990100002000"
	community1 = "990100001001" // under street1
	community2 = "990100001002" // under street1
	community3 = "990100002001" // under street2
)

func testConfig() config.Config {
	// The handler tests send from one address within seconds of opening the form;
	// the flags have tests of their own, which set these back.
	return testenv.Config(map[string]string{"MINYI_MIN_FILL": "0s",
		"MINYI_FLAG_PER_NET": "100000", "MINYI_FLAG_ENTRY_PER_HOUR": "100000"})
}

// newEnv starts a server. rdb may be nil for the test Redis; tweak may change the
// configuration first.
func newEnv(t *testing.T, rdb *redis.Client, tweak func(*config.Config)) *testEnv {
	t.Helper()
	cfg := testConfig()
	if tweak != nil {
		tweak(&cfg)
	}
	pool := testenv.DB(t)
	st := store.New(pool, 10*time.Second, cfg.Location)
	prefix := testenv.Name("webtest:") + ":"
	if rdb == nil {
		rdb, prefix = testenv.Redis(t)
	}
	testenv.DemoAreas(t, st)
	round, def := testenv.OpenRound(t, st, time.Now().Add(-time.Minute))
	token := newToken(t, st, "admin", account.Admin, "")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	lim := ratelimit.New(rdb, prefix, log, ratelimit.WithTimeout(200*time.Millisecond))
	srv := New(cfg, st, rdb, lim, log)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	cfg.BaseURL = hs.URL
	srv.cfg.BaseURL = hs.URL
	return &testEnv{t: t, srv: srv, http: hs, store: st, pool: pool, def: def, round: round, token: token, cfg: cfg,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// newUser creates a user with testPassword.
func newUser(t *testing.T, st *store.Store, username string, role account.Role, areaCode string) store.User {
	t.Helper()
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(context.Background(), store.NewUser{Username: username, Role: role, AreaCode: areaCode, PasswordHash: hash})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// newToken creates a user and an API token carrying its role and scope.
func newToken(t *testing.T, st *store.Store, username string, role account.Role, areaCode string) string {
	t.Helper()
	u := newUser(t, st, username, role, areaCode)
	token, err := st.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// bearer is the header pair that sends token.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// fullAnswers answers every required question with its first option, q4 with know.
func fullAnswers(def *survey.Definition) map[string]any {
	a := map[string]any{}
	for _, q := range def.Questions {
		if q.Required && q.Type == survey.Single {
			a[q.ID] = q.Options[0].ID
		}
	}
	return a
}

// send makes a request with headers given as name, value pairs and returns the
// response and its whole body.
func (e *testEnv) send(method, path string, body io.Reader, headers ...string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, raw
}

// decoded is a JSON reply as a map, or {"_raw": text} when it is not JSON.
func decoded(raw []byte) map[string]any {
	var out map[string]any
	if json.Unmarshal(raw, &out) != nil {
		out = map[string]any{"_raw": string(raw)}
	}
	return out
}

// do sends a request; body, when not nil, is sent as JSON. headers are name, value pairs.
// An anonymous submission goes as a resident's does (see resident).
func (e *testEnv) do(method, path string, body any, headers ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	if method == "POST" && path == "/api/v1/responses" {
		body, headers = e.resident(body, headers)
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(b)
		headers = append(headers, "Content-Type", "application/json")
	}
	res, raw := e.send(method, path, r, headers...)
	return res, decoded(raw)
}

// auth is the header pair of the env's API token.
func (e *testEnv) auth() []string { return []string{"Authorization", "Bearer " + e.token} }

// respondents returns the respondents of an area's subtree in the current round.
func (e *testEnv) respondents(code string) int {
	e.t.Helper()
	res, body := e.do("GET", "/api/v1/indicators?survey=chuangwen&area="+code, nil, e.auth()...)
	if res.StatusCode != 200 {
		e.t.Fatalf("indicators: got %d %v", res.StatusCode, body)
	}
	rows := body["rows"].([]any)
	return int(rows[0].(map[string]any)["respondents"].(float64))
}
