package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// hold stores n responses for an area through a channel in the env's round, every
// required single choice answered with its first option, and holds them for review
// with the given flags as the intake does: pending, off the counting queue. Without
// flags they stay counted.
func (e *testEnv) hold(code string, channel survey.Channel, n int, flags ...string) []uuid.UUID {
	e.t.Helper()
	ctx := context.Background()
	a, err := e.store.Area(ctx, code)
	if err != nil {
		e.t.Fatal(err)
	}
	answers, err := e.def.Check(fullAnswers(e.def))
	if err != nil {
		e.t.Fatal(err)
	}
	var subs []store.Submission
	for range n {
		subs = append(subs, store.Submission{ClientID: uuid.New(), Round: e.round, AreaID: a.ID, Channel: channel,
			Answers: answers, Definition: e.def, ContentHash: survey.Hash(e.def.ID, code, channel, "", answers)})
	}
	var ids []uuid.UUID
	for _, out := range e.store.SubmitBatch(ctx, subs, time.Now()) {
		if out.Err != nil {
			e.t.Fatal(out.Err)
		}
		ids = append(ids, out.ID)
	}
	if len(flags) == 0 {
		return ids
	}
	if _, err := e.pool.Exec(ctx, `UPDATE responses SET status = 'pending', flags = $1 WHERE id = ANY($2)`, flags, ids); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `DELETE FROM uncounted WHERE response_id = ANY($1)`, ids); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// pendingOfRows is the pending count of each row of an indicators reply, by area code.
func (e *testEnv) pendingOfRows(query string) map[string]int {
	e.t.Helper()
	var reply indicatorsReply
	dashGet(e.t, e, "/api/v1/indicators?survey=chuangwen&"+query, &reply)
	out := map[string]int{}
	for _, r := range reply.Rows {
		out[r.Area.Code] = r.Pending
	}
	return out
}

// reviewEnv is a server with 10 counted responses in community1 and pending ones:
// 4 too_fast in community1, 2 entry_burst (volunteer) in community2, 3 net_burst in
// community3; a street1 official jd1, a volunteer zy.
func reviewEnv(t *testing.T) (e *testEnv, counted, fast []uuid.UUID, jd1, zy string) {
	e = newEnv(t, nil, nil)
	counted = e.hold(community1, survey.ChannelQR, 10)
	fast = e.hold(community1, survey.ChannelQR, 4, "too_fast")
	e.hold(community2, survey.ChannelVolunteer, 2, "entry_burst", "unlisted_household")
	e.hold(community3, survey.ChannelQR, 3, "net_burst")
	jd1 = newToken(t, e.store, "jd1", "official", street1)
	zy = newToken(t, e.store, "zy", "volunteer", "")
	return e, counted, fast, jd1, zy
}

func TestReviewList(t *testing.T) {
	e, _, _, jd1, zy := reviewEnv(t)
	for _, tc := range []struct {
		name, query string
		auth        []string
		status      int
		pending     int
		items       int
		groups      int
	}{
		{"admin, everything", "survey=chuangwen", e.auth(), 200, 9, 9, 4},
		{"admin, one flag", "survey=chuangwen&flag=net_burst", e.auth(), 200, 3, 3, 1},
		{"admin, a page", "survey=chuangwen&limit=2&offset=8", e.auth(), 200, 9, 1, 4},
		{"official, own street", "survey=chuangwen", bearer(jd1), 200, 6, 6, 3},
		{"official, a community", "survey=chuangwen&area=" + community2, bearer(jd1), 200, 2, 2, 2},
		{"official, this round", "survey=chuangwen&round=" + itoa(e.round.ID), bearer(jd1), 200, 6, 6, 3},
		{"official, out of scope", "survey=chuangwen&area=" + community3, bearer(jd1), 404, 0, 0, 0},
		{"unknown area", "survey=chuangwen&area=nowhere", e.auth(), 404, 0, 0, 0},
		{"unknown survey", "survey=nosuch", e.auth(), 404, 0, 0, 0},
		{"unknown round", "survey=chuangwen&round=99999", e.auth(), 404, 0, 0, 0},
		{"unknown flag", "survey=chuangwen&flag=slow", e.auth(), 400, 0, 0, 0},
		{"no survey", "area=" + street1, e.auth(), 400, 0, 0, 0},
		{"limit too large", "survey=chuangwen&limit=501", e.auth(), 400, 0, 0, 0},
		{"volunteer", "survey=chuangwen", bearer(zy), 403, 0, 0, 0},
		{"anonymous", "survey=chuangwen", nil, 401, 0, 0, 0},
	} {
		res, raw := e.send("GET", "/api/v1/review?"+tc.query, nil, tc.auth...)
		if res.StatusCode != tc.status {
			t.Errorf("%s: got %d %s, want %d", tc.name, res.StatusCode, raw, tc.status)
			continue
		}
		if tc.status != 200 {
			continue
		}
		var reply struct {
			Pending int              `json:"pending"`
			Items   []map[string]any `json:"items"`
			Groups  []reviewGroup    `json:"groups"`
		}
		if err := json.Unmarshal(raw, &reply); err != nil {
			t.Fatal(err)
		}
		if reply.Pending != tc.pending || len(reply.Items) != tc.items || len(reply.Groups) != tc.groups {
			t.Errorf("%s: got %d pending, %d items, %d groups; want %d, %d, %d", tc.name, reply.Pending,
				len(reply.Items), len(reply.Groups), tc.pending, tc.items, tc.groups)
		}
		for _, it := range reply.Items {
			keys := make([]string, 0, len(it))
			for k := range it {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if got := strings.Join(keys, ","); got != "area,area_name,channel,flags,id,submitted_at" {
				t.Errorf("%s: item fields got %s, want no answers, household or address", tc.name, got)
			}
		}
	}
}

// TestIndicatorsSayWhatIsPending checks the pending count of every row of the
// indicators, the overview, the bulletin and the export, per filter.
func TestIndicatorsSayWhatIsPending(t *testing.T) {
	e, _, _, jd1, _ := reviewEnv(t)
	today := time.Now().In(e.cfg.Location).Format(time.DateOnly)
	tomorrow := time.Now().In(e.cfg.Location).AddDate(0, 0, 1).Format(time.DateOnly)
	for _, tc := range []struct {
		query string
		want  map[string]int
	}{
		{"area=" + district, map[string]int{district: 9}},
		{"area=" + district + "&round=all", map[string]int{district: 9}},
		{"area=" + district + "&by=children", map[string]int{street1: 6, street2: 3, "990100003000": 0}},
		{"area=" + street1 + "&by=children", map[string]int{community1: 4, community2: 2, "990100001003": 0, "990100001004": 0, "990100001005": 0}},
		{"area=" + district + "&channel=volunteer", map[string]int{district: 2}},
		{"area=" + district + "&channel=paper", map[string]int{district: 0}},
		{"area=" + district + "&from=" + today + "&to=" + today, map[string]int{district: 9}},
		{"area=" + district + "&from=" + tomorrow, map[string]int{district: 0}},
	} {
		if got := e.pendingOfRows(tc.query); !maps.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.query, got, tc.want)
		}
	}
	var o overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&area="+street1, &o, bearer(jd1)...)
	if o.Pending != 6 || o.Respondents != 10 {
		t.Errorf("overview: got %d pending, %d respondents; want 6, 10", o.Pending, o.Respondents)
	}
	res, raw := e.send("GET", "/bulletin?survey=chuangwen&area="+street1, nil, e.auth()...)
	if res.StatusCode != 200 || !strings.Contains(string(raw), "待审核 <strong>6</strong> 份") {
		t.Errorf("bulletin: got %d without 待审核 6", res.StatusCode)
	}
	res, raw = e.send("GET", "/api/v1/export/indicators.xlsx?survey=chuangwen&area="+street1, nil, e.auth()...)
	if res.StatusCode != 200 {
		t.Fatalf("export: got %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetChildren)
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows[0]) - 1
	if rows[0][last] != "待审核（未计入）" || rows[1][0] != community1 || rows[1][last] != "4" || rows[2][last] != "2" {
		t.Errorf("export: got header %q, rows %v %v; want 待审核 4 for %s and 2 next", rows[0][last], rows[1], rows[2], community1)
	}
}

// TestResponsesExportSaysStatus: the answers export marks which responses the
// figures count.
func TestResponsesExportSaysStatus(t *testing.T) {
	e, _, fast, _, _ := reviewEnv(t)
	if _, err := e.store.Decide(context.Background(), store.Decision{Scope: store.ReviewScope{Path: "/"}, IDs: fast[:1], Reason: "x"}); err != nil {
		t.Fatal(err)
	}
	res, raw := e.send("GET", "/api/v1/export/responses.csv?survey=chuangwen&area="+street1, nil, e.auth()...)
	if res.StatusCode != 200 {
		t.Fatalf("export: got %d", res.StatusCode)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := len(records[0]) - 1
	got := map[string]int{}
	for _, r := range records[1:] {
		got[r[last]]++
	}
	if want := map[string]int{"已计入": 10, "待审核": 5, "已驳回": 1}; records[0][last] != "审核状态" || !maps.Equal(got, want) {
		t.Errorf("status column %q: got %v, want %v", records[0][last], got, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestReviewDecide accepts by flag and area, rejects counted responses by id and
// reverses: the figures move by exactly the responses decided, at once, and every
// decision is audited.
func TestReviewDecide(t *testing.T) {
	e, counted, fast, jd1, zy := reviewEnv(t)
	decide := func(auth []string, body map[string]any) (int, map[string]any) {
		t.Helper()
		res, reply := e.do("POST", "/api/v1/review", body, auth...)
		return res.StatusCode, reply
	}
	type want struct{ c1, street1 int }
	for _, tc := range []struct {
		name    string
		auth    []string
		body    map[string]any
		status  int
		changed int
		after   want
	}{
		{"volunteer", bearer(zy), map[string]any{"survey": "chuangwen", "area": community1, "flag": "too_fast", "decision": "accept"}, 403, 0, want{10, 10}},
		{"out of scope", bearer(jd1), map[string]any{"survey": "chuangwen", "area": community3, "flag": "net_burst", "decision": "accept"}, 404, 0, want{10, 10}},
		{"no flag", bearer(jd1), map[string]any{"survey": "chuangwen", "area": community1, "decision": "accept"}, 400, 0, want{10, 10}},
		{"bad decision", bearer(jd1), map[string]any{"ids": fast[:1], "decision": "maybe"}, 400, 0, want{10, 10}},
		{"reject without reason", bearer(jd1), map[string]any{"ids": fast[:1], "decision": "reject"}, 400, 0, want{10, 10}},
		{"accept too_fast in community1", bearer(jd1), map[string]any{"survey": "chuangwen", "area": community1, "flag": "too_fast", "decision": "accept", "reason": "电话回访核实"}, 200, 4, want{14, 14}},
		{"again: none pending", bearer(jd1), map[string]any{"survey": "chuangwen", "area": community1, "flag": "too_fast", "decision": "accept"}, 200, 0, want{14, 14}},
		{"reject a counted and an accepted one", bearer(jd1), map[string]any{"ids": []uuid.UUID{counted[0], fast[0]}, "decision": "reject", "reason": "重复提交"}, 200, 2, want{12, 12}},
		{"ids out of scope change nothing", bearer(newToken(t, e.store, "jd2", "official", street2)), map[string]any{"ids": counted[1:3], "decision": "reject", "reason": "x"}, 200, 0, want{12, 12}},
		{"reverse", e.auth(), map[string]any{"ids": []uuid.UUID{counted[0], fast[0]}, "decision": "accept"}, 200, 2, want{14, 14}},
		{"reject pending entry_burst: nothing counted moves", bearer(jd1), map[string]any{"survey": "chuangwen", "area": street1, "flag": "entry_burst", "decision": "reject", "reason": "录入过密"}, 200, 2, want{14, 14}},
	} {
		status, reply := decide(tc.auth, tc.body)
		if status != tc.status {
			t.Errorf("%s: got %d %v, want %d", tc.name, status, reply, tc.status)
		}
		if status == 200 && int(reply["changed"].(float64)) != tc.changed {
			t.Errorf("%s: got %v changed, want %d", tc.name, reply["changed"], tc.changed)
		}
		if got := (want{e.respondents(community1), e.respondents(street1)}); got != tc.after {
			t.Errorf("%s: respondents got %+v, want %+v", tc.name, got, tc.after)
		}
	}
	if got := e.pendingOfRows("area=" + district); got[district] != 3 {
		t.Errorf("pending after decisions: got %d, want 3 (community3's)", got[district])
	}

	var events []store.AuditEvent
	dashGet(t, e, "/api/v1/audit?action=review.", &events)
	var got []string
	for _, ev := range events {
		got = append(got, ev.Action+" "+ev.Username+" "+ev.Scope+" "+itoa(int64(ev.Detail["changed"].(float64))))
	}
	wantLog := []string{"review.reject jd1 " + street1 + " 2", "review.accept admin  2", "review.reject jd2 " + street2 + " 0",
		"review.reject jd1 " + street1 + " 2", "review.accept jd1 " + community1 + " 0", "review.accept jd1 " + community1 + " 4"}
	if strings.Join(got, "|") != strings.Join(wantLog, "|") {
		t.Errorf("audit: got %q, want %q", got, wantLog)
	}
}

// TestReviewNeedsCSRF refuses a session's decision without its CSRF token.
func TestReviewNeedsCSRF(t *testing.T) {
	e, _, fast, _, _ := reviewEnv(t)
	c := e.signIn("jd1")
	body, _ := json.Marshal(map[string]any{"ids": fast, "decision": "accept"})
	for _, tc := range []struct {
		token  string
		status int
	}{{"", 403}, {"wrong", 403}, {c.CSRF, 200}} {
		req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/review", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tc.token != "" {
			req.Header.Set("X-CSRF-Token", tc.token)
		}
		if res, raw := c.do(req); res.StatusCode != tc.status {
			t.Errorf("token %q: got %d %s, want %d", tc.token, res.StatusCode, raw, tc.status)
		}
	}
	if got := e.respondents(community1); got != 14 {
		t.Errorf("respondents: got %d, want 14", got)
	}
}
