package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"minyi/internal/account"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// TestExportScope: every export and the bulletin answer only within the caller's
// jurisdiction, and each is audited.
func TestExportScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	seed(t, e, e.round, community1, survey.ChannelQR, 3, time.Now(), nil)
	a := newToken(t, e.store, "jd1", account.Official, street1)
	b := newToken(t, e.store, "jd2", account.Official, street2)
	vol := newToken(t, e.store, "vol", account.Volunteer, "")
	q := "?survey=chuangwen&area=" + street1
	for _, path := range []string{"/api/v1/export/indicators.xlsx", "/api/v1/export/responses.csv",
		"/api/v1/export/responses.xlsx", "/bulletin"} {
		anon := 401
		if path == "/bulletin" {
			anon = http.StatusSeeOther
		}
		for _, c := range []struct {
			who     string
			headers []string
			want    int
		}{
			{"anonymous", nil, anon},
			{"volunteer", bearer(vol), 403},
			{"official of street2", bearer(b), 404},
			{"official of street1", bearer(a), 200},
		} {
			res, body := e.send("GET", path+q, nil, c.headers...)
			if res.StatusCode != c.want {
				t.Errorf("%s as %s: got %d, want %d", path, c.who, res.StatusCode, c.want)
			}
			if c.want == 404 && path != "/bulletin" && decoded(body)["error"] != "not_found" {
				t.Errorf("%s as %s: got %s, want {\"error\":\"not_found\"}", path, c.who, body)
			}
			if c.want == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				t.Errorf("%s as %s: redirected to %q, want /login", path, c.who, res.Header.Get("Location"))
			}
		}
	}
	// A session of street2's official gets the bulletin's 404 page too.
	newUser(t, e.store, "jd2s", account.Official, street2)
	if res, _ := e.signIn("jd2s").get("/bulletin" + q); res.StatusCode != 404 {
		t.Errorf("bulletin of street1 for a session of street2: got %d, want 404", res.StatusCode)
	}

	var events []store.AuditEvent
	res, body := e.send("GET", "/api/v1/audit?action=export.", nil, e.auth()...)
	if res.StatusCode != 200 || json.Unmarshal(body, &events) != nil {
		t.Fatalf("audit: got %d %s", res.StatusCode, body)
	}
	got := map[string]store.AuditEvent{}
	for _, ev := range events {
		got[ev.Action] = ev
	}
	for action, rows := range map[string]float64{"export.indicators_xlsx": 5, "export.responses_csv": 3,
		"export.responses_xlsx": 3, "export.bulletin": 5} {
		ev, ok := got[action]
		switch {
		case !ok:
			t.Errorf("audit: no %s event among %d", action, len(events))
		case ev.Username != "jd1" || ev.Scope != street1 || ev.Detail["survey"] != "chuangwen" ||
			ev.Detail["round"] != float64(e.round.ID) || ev.Detail["rows"] != rows:
			t.Errorf("audit %s: got %s %s %v, want jd1 %s survey, round %d, rows %v", action, ev.Username, ev.Scope, ev.Detail, street1, e.round.ID, rows)
		}
	}
	if len(events) != 4 {
		t.Errorf("audit: got %d export events, want 4 (refused requests are not exports)", len(events))
	}
}
