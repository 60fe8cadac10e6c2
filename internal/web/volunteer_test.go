package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/internal/account"
	"minyi/internal/config"
	"minyi/internal/store"
)

// TestHouseholdOnce posts many door-to-door responses for one household at once, with
// different client ids, from two volunteers: exactly one is stored, every other gets
// 409 duplicate_household; with and without group commit.
func TestHouseholdOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		batched bool
	}{{"one by one", false}, {"group commit", true}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			if tc.batched {
				b := store.NewBatcher(e.store, 4, 64, nil)
				t.Cleanup(b.Close)
				e.srv.writer = b
			}
			tokens := []string{e.volunteer("vol1", street1), e.volunteer("vol2", community1)}
			const n = 40
			statuses := make([]int, n)
			codes := make([]string, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				sub := doorToDoor(e.def, community1, "3-2-501")
				if i%2 == 1 {
					sub["household"] = " ３-2－501 " // the same household, typed otherwise
				}
				wg.Go(func() {
					raw, _ := json.Marshal(sub)
					req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/responses", bytes.NewReader(raw))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+tokens[i%2])
					<-start
					res, err := e.client.Do(req)
					if err != nil {
						return
					}
					defer res.Body.Close()
					var out struct{ Error string }
					json.NewDecoder(res.Body).Decode(&out)
					statuses[i], codes[i] = res.StatusCode, out.Error
				})
			}
			close(start)
			wg.Wait()
			created, dup := 0, 0
			for i := range n {
				switch {
				case statuses[i] == 201:
					created++
				case statuses[i] == 409 && codes[i] == "duplicate_household":
					dup++
				default:
					t.Errorf("request %d: got %d %s, want 201 or 409 duplicate_household", i, statuses[i], codes[i])
				}
			}
			if created != 1 || dup != n-1 {
				t.Errorf("got %d created and %d duplicates, want 1 and %d", created, dup, n-1)
			}
			if got := e.count(`SELECT count(*) FROM responses`); got != 1 {
				t.Errorf("responses stored: got %d, want 1", got)
			}
			if got := e.count(`SELECT count(*) FROM visits WHERE household = '3-2-501' AND outcome = 'completed'`); got != 1 {
				t.Errorf("completed visits logged: got %d, want 1", got)
			}
			if got := e.respondents(community1); got != 1 {
				t.Errorf("respondents: got %d, want 1", got)
			}
			// The same household number in another community is another household.
			res, body := e.do("POST", "/api/v1/responses", doorToDoor(e.def, community2, "3-2-501"), bearer(tokens[0])...)
			if res.StatusCode != 201 {
				t.Errorf("same number in community2: got %d %v, want 201", res.StatusCode, body)
			}
		})
	}
}

// TestSyncIdempotent replays a phone's queue — responses and visits — three times:
// everything is counted once; an id reused for other content is a conflict.
func TestSyncIdempotent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "vol1", account.Volunteer, "")
	if res, body := e.assign("vol1", community1, 0, 0, e.auth()...); res.StatusCode != 201 {
		t.Fatalf("assign: %d %v", res.StatusCode, body)
	}
	c := e.signIn("vol1")
	type entry struct {
		path string
		body map[string]any
	}
	batch := []entry{
		{"/api/v1/responses", doorToDoor(e.def, community1, "1-1-101")},
		{"/api/v1/visits", notHome(community1, "1-1-102", "not_home")},
		{"/api/v1/responses", doorToDoor(e.def, community1, "1-1-103")},
		{"/api/v1/visits", notHome(community1, "1-1-104", "refused")},
		{"/api/v1/responses", doorToDoor(e.def, community1, "1-1-105")},
	}
	for round := range 3 {
		for i, en := range batch {
			res, body := c.volJSON("POST", en.path, en.body)
			want := 201
			if round > 0 {
				want = 200
			}
			if res.StatusCode != want || body["replayed"] != (round > 0) {
				t.Errorf("sync %d entry %d: got %d %v, want %d", round+1, i, res.StatusCode, body, want)
			}
		}
	}
	if got := e.respondents(community1); got != 3 {
		t.Errorf("respondents: got %d, want 3", got)
	}
	var ind indicatorsJSON
	if e.getJSON("/api/v1/indicators?survey=chuangwen&area="+community1+"&channel=volunteer", &ind, e.auth()...); ind.Rows[0].Respondents != 3 {
		t.Errorf("door-to-door respondents: got %d, want 3", ind.Rows[0].Respondents)
	}
	if got := e.count(`SELECT count(*) FROM visits`); got != 5 {
		t.Errorf("visits: got %d, want 5", got)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE entered_by IS NOT NULL AND household_hash IS NOT NULL AND finished_at IS NULL`); got != 3 {
		t.Errorf("responses entered by the volunteer with a household hash: got %d, want 3", got)
	}
	// The same id with other content: a conflict, for answers and for visits.
	other := maps.Clone(batch[0].body)
	other["household"] = "9-9-909"
	if res, body := c.volJSON("POST", "/api/v1/responses", other); res.StatusCode != 409 || body["error"] != "conflict" {
		t.Errorf("response id reused: got %d %v, want 409 conflict", res.StatusCode, body)
	}
	otherVisit := maps.Clone(batch[1].body)
	otherVisit["outcome"] = "revisit"
	if res, body := c.volJSON("POST", "/api/v1/visits", otherVisit); res.StatusCode != 409 || body["error"] != "conflict" {
		t.Errorf("visit id reused: got %d %v, want 409 conflict", res.StatusCode, body)
	}
	// A second completed response for a household: refused with a clear message.
	res, body := c.volJSON("POST", "/api/v1/responses", doorToDoor(e.def, community1, "1-1-101"))
	if res.StatusCode != 409 || body["error"] != "duplicate_household" || !strings.Contains(body["message"].(string), "该户本轮已完成") {
		t.Errorf("second response for 1-1-101: got %d %v, want 409 duplicate_household", res.StatusCode, body)
	}
	// Without the session's CSRF token, nothing.
	req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/visits", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	if res, _ := c.do(req); res.StatusCode != 403 {
		t.Errorf("visit without CSRF token: got %d, want 403", res.StatusCode)
	}
}

// TestVisitInput checks what a visit must say.
func TestVisitInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	token := e.volunteer("vol1", community1)
	for _, tc := range []struct {
		name   string
		edit   map[string]any
		status int
		field  string
	}{
		{"not home", nil, 201, ""},
		{"completed needs answers", map[string]any{"outcome": "completed"}, 422, "outcome"},
		{"unknown outcome", map[string]any{"outcome": "gone"}, 422, "outcome"},
		{"no household", map[string]any{"household": "  "}, 422, "household"},
		{"bad client id", map[string]any{"client_id": "x"}, 422, "client_id"},
		{"unknown survey", map[string]any{"survey": "nope"}, 404, ""},
		{"unknown area", map[string]any{"area": "nope"}, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := notHome(community1, "5-5-505", "not_home")
			maps.Copy(v, tc.edit)
			res, body := e.do("POST", "/api/v1/visits", v, bearer(token)...)
			if res.StatusCode != tc.status {
				t.Fatalf("got %d %v, want %d", res.StatusCode, body, tc.status)
			}
			if tc.field != "" && body["fields"].(map[string]any)[tc.field] == nil {
				t.Errorf("fields: got %v, want %s named", body["fields"], tc.field)
			}
		})
	}
	// Residents name no household.
	sub := newSubmission(community1, fullAnswers(e.def))
	sub["household"] = "1-1-101"
	if res, body := e.do("POST", "/api/v1/responses", sub); res.StatusCode != 422 {
		t.Errorf("resident with a household: got %d %v, want 422", res.StatusCode, body)
	}
}

// TestEntryFlags holds for review a volunteer's entries beyond the hour's allowance
// and an entry for a household not on the area's list, refuses neither, and counts
// them in the volunteer's figures of the ledger.
func TestEntryFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.Flags.EntryPerHour = 5 })
	token := e.volunteer("vol1", community1)
	e.importHouseholds(community1, "8-8-1", "8-8-2", "8-8-3", "8-8-4", "8-8-5", "8-8-6")
	now := time.Now()
	homes := []string{"8栋8单元1", "8-8-2", "8-8-3", "8-8-4", "8-8-5", "8-8-6室", "9-9-9"}
	for i, home := range homes {
		sub := doorToDoor(e.def, community1, home)
		started := now.Add(-10 * time.Minute)
		if i == 0 {
			started = now.Add(-20 * time.Second)
		}
		sub["started_at"], sub["finished_at"] = started.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano)
		if res, body := e.do("POST", "/api/v1/responses", sub, bearer(token)...); res.StatusCode != 201 {
			t.Fatalf("entry %d: got %d %v, want 201", i, res.StatusCode, body)
		}
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{`SELECT count(*) FROM responses WHERE status = 'pending'`, 2},
		{`SELECT count(*) FROM responses WHERE flags = '{entry_burst}'`, 1},
		{`SELECT count(*) FROM responses WHERE flags = '{entry_burst,unlisted_household}'`, 1},
		{`SELECT count(*) FROM responses r JOIN uncounted u ON u.response_id = r.id WHERE r.status = 'pending'`, 0},
	} {
		if got := e.count(tc.query); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.query, got, tc.want)
		}
	}
	if got := e.respondents(community1); got != 5 {
		t.Errorf("respondents: got %d, want 5 (the pending two not counted)", got)
	}
	var cover struct {
		Volunteers []store.VolunteerDay `json:"volunteers"`
	}
	if st := e.getJSON("/api/v1/ledger/coverage?survey=chuangwen&area="+community1, &cover, e.auth()...); st != 200 || len(cover.Volunteers) != 2 {
		t.Fatalf("coverage: got %d with %d volunteer rows, want 200 with 2", st, len(cover.Volunteers))
	}
	total := cover.Volunteers[0]
	if total.Day != "" || total.Entries != 7 || total.Flagged != 2 || total.Burst != 2 || total.Unlisted != 1 ||
		total.Fast != 1 || total.Median == nil || *total.Median != 600 {
		t.Errorf("volunteer's totals: got %+v, want 7 entries, 2 flagged (2 burst, 1 unlisted), 1 fast, median 600 s", total)
	}
}

// TestBootstrap gives a volunteer what the app needs offline.
func TestBootstrap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	token := e.volunteer("vol1", community1)
	if res, body := e.assign("vol1", community3, 2, 5, e.auth()...); res.StatusCode != 201 { // not yet valid
		t.Fatalf("assign: %d %v", res.StatusCode, body)
	}
	csv := "area_code,building,unit,room,key\n" + community1 + ",1,1,101,\n" + community1 + ",1,1,102,\n" + community3 + ",9,9,909,\n"
	if res, body := e.do("POST", "/api/v1/households/import", nil, append(e.auth(), "Content-Type", "text/csv")...); res.StatusCode != 422 {
		t.Fatalf("empty import: got %d %v, want 422", res.StatusCode, body)
	}
	if res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(csv), false, e.auth()...); res.StatusCode != 200 || body["created"] != 3.0 {
		t.Fatalf("import: got %d %v, want 3 created", res.StatusCode, body)
	}
	e.do("POST", "/api/v1/responses", doorToDoor(e.def, community1, "1-1-101"), bearer(token)...)
	e.do("POST", "/api/v1/visits", notHome(community1, "1-1-102", "not_home"), bearer(token)...)
	var boot struct {
		Assignments []map[string]any                        `json:"assignments"`
		Areas       []map[string]any                        `json:"areas"`
		Surveys     []map[string]any                        `json:"surveys"`
		Households  map[string][]map[string]any             `json:"households"`
		Outcomes    map[string]map[string]map[string]string `json:"outcomes"`
	}
	if st := e.getJSON("/api/v1/volunteer/bootstrap", &boot, bearer(token)...); st != 200 {
		t.Fatalf("bootstrap: got %d", st)
	}
	if len(boot.Assignments) != 1 || len(boot.Areas) != 1 || boot.Areas[0]["code"] != community1 {
		t.Errorf("assignments and areas: got %v %v, want community1 only", boot.Assignments, boot.Areas)
	}
	if len(boot.Surveys) != 1 || boot.Surveys[0]["definition"] != "/api/v1/volunteer/surveys/chuangwen?version=1" {
		t.Errorf("surveys: got %v", boot.Surveys)
	}
	if len(boot.Households[community1]) != 2 || boot.Households[community3] != nil {
		t.Errorf("households: got %v, want community1's two", boot.Households)
	}
	if got := boot.Outcomes["chuangwen"][community1]; got["1-1-101"] != "completed" || got["1-1-102"] != "not_home" || len(got) != 2 {
		t.Errorf("outcomes: got %v", got)
	}
	var def map[string]any
	if st := e.getJSON(boot.Surveys[0]["definition"].(string), &def, bearer(token)...); st != 200 || def["id"] != "chuangwen" {
		t.Errorf("definition for the volunteer: got %d %v", st, def["id"])
	}
}

// TestAppFiles checks what makes the app installable and able to open offline.
func TestAppFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	c := e.signIn("vol1")
	res, page := c.get("/v/")
	if res.StatusCode != 200 || !strings.Contains(page, `<link rel="manifest" href="/v/manifest.webmanifest">`) ||
		!strings.Contains(page, `src="/static/v/app.js?v=`+appVersion()+`"`) {
		t.Fatalf("shell: got %d, want the manifest linked and the versioned app", res.StatusCode)
	}
	if strings.Contains(page, "vol1") || strings.Contains(page, c.CSRF) {
		t.Errorf("shell: holds the user's name or CSRF token, want nothing of the user (it is cached)")
	}
	res, js := c.get("/v/sw.js")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") ||
		!strings.Contains(js, `const VERSION = "`+appVersion()+`"`) {
		t.Errorf("service worker: got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	res, raw := c.get("/v/manifest.webmanifest")
	var m struct {
		StartURL string `json:"start_url"`
		Scope    string
		Display  string
		Icons    []struct{ Src, Sizes string }
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(raw), &m) != nil || m.StartURL != "/v/" || m.Scope != "/v/" ||
		m.Display != "standalone" || len(m.Icons) != 2 {
		t.Errorf("manifest: got %d %+v", res.StatusCode, m)
	}
	for _, icon := range m.Icons {
		if res, _ := c.get(icon.Src); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("icon %s: got %d %s", icon.Src, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	_, app := c.get("/static/v/app.js")
	if !strings.Contains(app, `serviceWorker.register("/v/sw.js", { scope: "/v/" })`) {
		t.Errorf("app.js: does not register the service worker at /v/sw.js")
	}
	// Signing in sends a volunteer to the app.
	res, _ = e.anonClient().login("vol1", testPassword)
	if res.Header.Get("Location") != "/v/" {
		t.Errorf("after sign-in: got %s, want /v/", res.Header.Get("Location"))
	}
}

// TestEveningBurst: a volunteer syncing a whole evening of 40 households at once, from
// behind one carrier NAT address, is never limited by the per-IP budget; within the
// hour's allowance of entries nothing is held for review.
func TestEveningBurst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.Limits.PerIP, c.Flags.EntryPerHour = 5, 40 })
	newUser(t, e.store, "vol1", account.Volunteer, "")
	e.assign("vol1", community1, 0, 0, e.auth()...)
	c := e.signIn("vol1")
	start := time.Now().Add(-3 * time.Hour)
	for i := range 40 {
		sub := doorToDoor(e.def, community1, fmt.Sprintf("9-%d-%d", i/10, i))
		began := start.Add(time.Duration(i) * 4 * time.Minute)
		sub["started_at"], sub["finished_at"] = began.Format(time.RFC3339), began.Add(3*time.Minute).Format(time.RFC3339)
		if res, body := c.volJSON("POST", "/api/v1/responses", sub); res.StatusCode != 201 {
			t.Fatalf("household %d: got %d %v, want 201", i, res.StatusCode, body)
		}
	}
	if got := e.respondents(community1); got != 40 {
		t.Errorf("respondents: got %d, want 40", got)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE cardinality(flags) > 0`); got != 0 {
		t.Errorf("flagged: got %d, want 0 for interviews of 3 minutes, 4 minutes apart", got)
	}
}
