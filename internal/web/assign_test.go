package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/account"
)

func TestAssignmentScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	offA := newToken(t, e.store, "offa", account.Official, street1)
	vol := e.volunteer("vol1", "")
	newUser(t, e.store, "jd9", account.Official, street2)
	for _, tc := range []struct {
		name    string
		by      []string
		user    string
		code    string
		from    int
		to      int
		status  int
		errCode string
	}{
		{"admin anywhere", e.auth(), "vol1", community3, 0, 7, 201, ""},
		{"official in scope", bearer(offA), "vol1", community1, 0, 7, 201, ""},
		{"official, the whole street", bearer(offA), "vol1", street1, -3, 3, 201, ""},
		{"official out of scope", bearer(offA), "vol1", community3, 0, 7, 404, "not_found"},
		{"official, unknown area", bearer(offA), "vol1", "nope", 0, 7, 404, "not_found"},
		{"volunteer", bearer(vol), "vol1", community1, 0, 7, 403, "forbidden"},
		{"unknown user", bearer(offA), "nobody", community1, 0, 7, 404, "not_found"},
		{"not a volunteer", bearer(offA), "jd9", community1, 0, 7, 422, "invalid"},
		{"ends before it starts", bearer(offA), "vol1", community1, 3, 2, 422, "invalid"},
		{"anonymous", nil, "vol1", community1, 0, 7, 401, "unauthorized"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.assign(tc.user, tc.code, tc.from, tc.to, tc.by...)
			if res.StatusCode != tc.status || (tc.errCode != "" && body["error"] != tc.errCode) {
				t.Errorf("got %d %v, want %d %s", res.StatusCode, body, tc.status, tc.errCode)
			}
			if tc.status == 201 && (body["area"] != tc.code || body["username"] != tc.user || body["valid"] != (tc.from <= 0 && tc.to >= 0)) {
				t.Errorf("assignment: got %v", body)
			}
		})
	}
	// Malformed dates.
	res, body := e.do("POST", "/api/v1/assignments", map[string]any{"username": "vol1", "area": community1, "starts": "1.12.2026", "ends": e.dayFrom(1)}, e.auth()...)
	if res.StatusCode != 422 || body["fields"].(map[string]any)["starts"] == nil {
		t.Errorf("bad start date: got %d %v, want 422 naming starts", res.StatusCode, body)
	}

	// The official of street1 lists only the assignments within street1.
	var list []map[string]any
	if got := e.getJSON("/api/v1/assignments?username=vol1", &list, bearer(offA)...); got != 200 || len(list) != 2 {
		t.Fatalf("official's list: got %d with %d assignments, want 200 with 2", got, len(list))
	}
	var all []map[string]any
	e.getJSON("/api/v1/assignments?username=vol1", &all, e.auth()...)
	if len(all) != 3 {
		t.Fatalf("admin's list: got %d, want 3", len(all))
	}
	var outside float64
	for _, a := range all {
		if a["area"] == community3 {
			outside = a["id"].(float64)
		}
	}
	// Removing one outside the jurisdiction is not found; inside, it goes, audited.
	if res, _ := e.do("DELETE", fmt.Sprintf("/api/v1/assignments/%.0f", outside), nil, bearer(offA)...); res.StatusCode != 404 {
		t.Errorf("official removes an assignment of street2: got %d, want 404", res.StatusCode)
	}
	if res, _ := e.do("DELETE", fmt.Sprintf("/api/v1/assignments/%.0f", list[0]["id"].(float64)), nil, bearer(offA)...); res.StatusCode != 204 {
		t.Errorf("official removes an assignment of street1: got %d, want 204", res.StatusCode)
	}
	for _, tc := range []struct {
		action string
		n      int
	}{{"assignment.create", 3}, {"assignment.delete", 1}} {
		if got := e.count(`SELECT count(*) FROM audit_events WHERE action = $1`, tc.action); got != tc.n {
			t.Errorf("audit %s: got %d, want %d", tc.action, got, tc.n)
		}
	}
}

// TestAssignmentDates checks that only assignments valid today let a volunteer enter
// answers, and that an assignment covers its area's subtree only.
func TestAssignmentDates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for i, tc := range []struct {
		name     string
		assigned string
		from, to int
		area     string
		status   int
		code     string
	}{
		{"valid today", community1, 0, 0, community1, 201, ""},
		{"expired yesterday", community1, -5, -1, community1, 403, "not_assigned"},
		{"starts tomorrow", community1, 1, 5, community1, 403, "not_assigned"},
		{"the street covers its communities", street1, -1, 1, community2, 201, ""},
		{"another street", street1, -1, 1, community3, 403, "not_assigned"},
		{"a community does not cover its street", community1, -1, 1, street1, 403, "not_assigned"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("v%d", i)
			token := e.volunteer(name, "")
			if res, body := e.assign(name, tc.assigned, tc.from, tc.to, e.auth()...); res.StatusCode != 201 {
				t.Fatalf("assign: got %d %v", res.StatusCode, body)
			}
			res, body := e.do("POST", "/api/v1/responses", doorToDoor(e.def, tc.area, "1-1-"+name), bearer(token)...)
			if res.StatusCode != tc.status || (tc.code != "" && body["error"] != tc.code) {
				t.Errorf("submit: got %d %v, want %d %s", res.StatusCode, body, tc.status, tc.code)
			}
			res, body = e.do("POST", "/api/v1/visits", notHome(tc.area, "2-1-"+name, "not_home"), bearer(token)...)
			if res.StatusCode != tc.status || (tc.code != "" && body["error"] != tc.code) {
				t.Errorf("visit: got %d %v, want %d %s", res.StatusCode, body, tc.status, tc.code)
			}
		})
	}
}

func TestAssignmentsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "offa", account.Official, street1)
	e.volunteer("vol1", "")
	c := e.signIn("offa")
	res, page := c.get("/assignments")
	if res.StatusCode != 200 || !strings.Contains(page, `name="area"`) || strings.Contains(page, `value="`+community3+`"`) {
		t.Fatalf("page: got %d, want 200 offering only street1's areas", res.StatusCode)
	}
	form := url.Values{"username": {"vol1"}, "area": {community2}, "starts": {e.dayFrom(0)}, "ends": {e.dayFrom(10)}}
	res, _ = c.postForm("/assignments", c.csrfForm(form))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/assignments?done=created" {
		t.Fatalf("assign: got %d %s, want 303 to the list", res.StatusCode, res.Header.Get("Location"))
	}
	_, page = c.get("/assignments?done=created")
	if !strings.Contains(page, "已分派") || !strings.Contains(page, `<td>滨河社区 <span class="muted">`+community2+`</span></td>`) {
		t.Errorf("list after assigning: want the notice and the assignment to 滨河社区")
	}
	form.Set("area", community3)
	res, page = c.postForm("/assignments", c.csrfForm(form))
	if res.StatusCode != 404 || !strings.Contains(page, "不在您的管辖范围内") {
		t.Errorf("assign outside the jurisdiction: got %d, want 404 with the reason", res.StatusCode)
	}
	form.Set("area", community2)
	form.Set("ends", e.dayFrom(-1))
	res, page = c.postForm("/assignments", c.csrfForm(form))
	if res.StatusCode != 422 || !strings.Contains(page, "结束日期不能早于开始日期") {
		t.Errorf("assign with the end first: got %d, want 422 with the reason", res.StatusCode)
	}
	var list []map[string]any
	e.getJSON("/api/v1/assignments", &list, e.auth()...)
	if len(list) != 1 {
		t.Fatalf("assignments: got %d, want 1", len(list))
	}
	res, _ = c.postForm(fmt.Sprintf("/assignments/%.0f/delete", list[0]["id"].(float64)), c.csrfForm(nil))
	if res.StatusCode != 303 {
		t.Errorf("delete: got %d, want 303", res.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM assignments`); n != 0 {
		t.Errorf("assignments after delete: got %d, want 0", n)
	}
}
