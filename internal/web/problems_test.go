package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi/internal/account"
	"minyi/internal/config"
)

// raise raises a problem as the caller of headers and returns its id, failing the
// test unless it gets 201.
func (e *testEnv) raise(code, category, source string, headers ...string) int64 {
	e.t.Helper()
	res, body := e.do("POST", "/api/v1/problems", map[string]any{"area": code, "category": category,
		"description": "楼道堆放杂物，请清理", "source": source}, headers...)
	if res.StatusCode != 201 {
		e.t.Fatalf("raise in %s: got %d %v, want 201", code, res.StatusCode, body)
	}
	return int64(body["id"].(float64))
}

// step posts a step on a problem and returns the status and reply.
func (e *testEnv) step(id int64, step string, body any, headers ...string) (int, map[string]any) {
	e.t.Helper()
	res, reply := e.do("POST", fmt.Sprintf("/api/v1/problems/%d/%s", id, step), body, headers...)
	return res.StatusCode, reply
}

// TestProblemLoop takes a problem through every step, including those its status
// does not allow (409 with the statuses in Chinese), and finds each step logged and
// audited.
func TestProblemLoop(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	id := e.raise(community1, "sanitation", "inspection", e.auth()...)
	var got problemReply
	if code := e.getJSON(fmt.Sprintf("/api/v1/problems/%d", id), &got, e.auth()...); code != 200 || got.Category != "环境卫生" || got.Status != "open" {
		t.Fatalf("new problem: got %d %+v, want open, category by its text", code, got)
	}
	assign := map[string]any{"unit": community1, "due": e.dayFrom(7), "assignee": "网格员张三"}
	closing := map[string]any{"note": "现场核验", "public_note": "楼道杂物已清理", "contacted": true, "satisfied": true}
	for i, tc := range []struct {
		step   string
		body   any
		status int
		want   string // status afterwards, or the message of a refusal
	}{
		{"rectify", map[string]any{"note": "已清理"}, 409, "该问题当前状态为“待交办”，不能进行“整改”"},
		{"close", closing, 409, "该问题当前状态为“待交办”，不能进行“办结”"},
		{"reopen", map[string]any{"reason": "x"}, 409, "该问题当前状态为“待交办”，不能进行“退回重办”"},
		{"assign", map[string]any{"unit": community1, "due": e.dayFrom(-1)}, 422, "整改期限不能早于今天"},
		{"assign", assign, 200, "assigned"},
		{"close", closing, 409, "该问题当前状态为“整改中”，不能进行“办结”"},
		{"rectify", map[string]any{"note": " "}, 422, "请填写整改情况"},
		{"rectify", map[string]any{"note": "已清理楼道杂物"}, 200, "rectified"},
		{"rectify", map[string]any{"note": "again"}, 409, "该问题当前状态为“已整改待核验”，不能进行“整改”"},
		{"assign", assign, 409, "该问题当前状态为“已整改待核验”，不能进行“交办”"},
		{"close", map[string]any{"public_note": "已清理", "satisfied": false}, 422, "未回访群众时不能填写是否满意"},
		{"close", closing, 200, "closed"},
		{"close", closing, 409, "该问题当前状态为“已办结”，不能进行“办结”"},
		{"reopen", map[string]any{"reason": "群众反映又有堆物"}, 200, "assigned"},
		{"rectify", map[string]any{"note": "再次清理"}, 200, "rectified"},
		{"close", closing, 200, "closed"},
	} {
		code, body := e.step(id, tc.step, tc.body, e.auth()...)
		if code != tc.status {
			t.Fatalf("step %d %s: got %d %v, want %d", i, tc.step, code, body, tc.status)
		}
		switch code {
		case 200:
			if body["status"] != tc.want {
				t.Errorf("step %d %s: got status %v, want %s", i, tc.step, body["status"], tc.want)
			}
		case 409:
			if body["error"] != "invalid_transition" || body["message"] != tc.want {
				t.Errorf("step %d %s: got %v, want invalid_transition %q", i, tc.step, body, tc.want)
			}
		case 422:
			if fields, _ := body["fields"].(map[string]any); !strings.Contains(fmt.Sprint(fields), tc.want) {
				t.Errorf("step %d %s: got %v, want a field saying %q", i, tc.step, body, tc.want)
			}
		}
	}
	e.getJSON(fmt.Sprintf("/api/v1/problems/%d", id), &got, e.auth()...)
	var actions []string
	for _, l := range got.Log {
		actions = append(actions, string(l.Action))
	}
	if want := "raise assign rectify close reopen rectify close"; strings.Join(actions, " ") != want {
		t.Errorf("log: got %v, want %s", actions, want)
	}
	if got.Unit == nil || got.Unit.Code != community1 || got.Due == nil || *got.Due != e.dayFrom(7) ||
		got.Assignee != "网格员张三" || !got.Contacted || got.Satisfied == nil || !*got.Satisfied || got.CallBack != "已回访，群众满意" {
		t.Errorf("closed problem: got %+v, want unit, due, assignee and the call back", got)
	}
	var n int
	err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action LIKE 'problem.%' AND target = $1`,
		fmt.Sprint(id)).Scan(&n)
	if err != nil || n != 7 {
		t.Errorf("audit events problem.*: got %d (%v), want 7", n, err)
	}
}

// TestProblemScope checks who reaches a real problem: officials of its area or of
// the unit it is assigned to, volunteers only for what they raised.
func TestProblemScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	street1Tok := newToken(t, e.store, "offa", account.Official, street1)
	street2Tok := newToken(t, e.store, "offb", account.Official, street2)
	comm1Tok := newToken(t, e.store, "offc", account.Official, community1)
	comm2Tok := newToken(t, e.store, "offd", account.Official, community2)
	volTok := e.volunteer("vol1", community1)
	vol2Tok := e.volunteer("vol2", community1)

	// Raised by the street on the street itself, assigned to community1.
	onStreet := e.raise(street1, "parking", "hotline", bearer(street1Tok)...)
	if code, body := e.step(onStreet, "assign", map[string]any{"unit": community1, "due": e.dayFrom(3)}, bearer(street1Tok)...); code != 200 {
		t.Fatalf("assign: got %d %v", code, body)
	}
	byVolunteer := e.raise(community1, "其他", "visit", bearer(volTok)...)

	get := func(id int64, tok string) int {
		res, _ := e.do("GET", fmt.Sprintf("/api/v1/problems/%d", id), nil, bearer(tok)...)
		return res.StatusCode
	}
	for _, tc := range []struct {
		who, tok string
		id       int64
		want     int
	}{
		{"street1", street1Tok, onStreet, 200},
		{"community1, its unit", comm1Tok, onStreet, 200},
		{"community2", comm2Tok, onStreet, 404},
		{"street2", street2Tok, onStreet, 404},
		{"volunteer", volTok, onStreet, 404},
		{"volunteer who raised it", volTok, byVolunteer, 200},
		{"another volunteer", vol2Tok, byVolunteer, 404},
		{"community1", comm1Tok, byVolunteer, 200},
		{"street2", street2Tok, byVolunteer, 404},
	} {
		if got := get(tc.id, tc.tok); got != tc.want {
			t.Errorf("GET problem %d as %s: got %d, want %d", tc.id, tc.who, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		tok  string
		id   int64
		step string
		body map[string]any
		want int
	}{
		{"street2 assigns", street2Tok, byVolunteer, "assign", map[string]any{"unit": community3, "due": e.dayFrom(1)}, 404},
		{"street1 assigns outside", street1Tok, byVolunteer, "assign", map[string]any{"unit": community3, "due": e.dayFrom(1)}, 422},
		{"volunteer assigns", volTok, byVolunteer, "assign", map[string]any{"unit": community1, "due": e.dayFrom(1)}, 403},
		{"community1 rectifies its unit's problem", comm1Tok, onStreet, "rectify", map[string]any{"note": "已处理"}, 200},
		{"community2 closes", comm2Tok, onStreet, "close", map[string]any{"public_note": "x"}, 404},
	} {
		if code, body := e.step(tc.id, tc.step, tc.body, bearer(tc.tok)...); code != tc.want {
			t.Errorf("%s: got %d %v, want %d", tc.name, code, body, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		tok  string
		body map[string]any
		want int
	}{
		{"volunteer elsewhere", volTok, map[string]any{"area": community3, "category": "其他", "description": "x", "source": "visit"}, 403},
		{"volunteer not from a visit", volTok, map[string]any{"area": community1, "category": "其他", "description": "x", "source": "hotline"}, 422},
		{"street2 in street1", street2Tok, map[string]any{"area": community1, "category": "其他", "description": "x", "source": "hotline"}, 404},
		{"unknown category", street1Tok, map[string]any{"area": community1, "category": "噪音", "description": "x", "source": "hotline"}, 422},
		{"response of another area", street1Tok, map[string]any{"area": community1, "category": "其他", "description": "x",
			"source": "suggestion", "response_id": "0190c6a4-0b55-7d5e-9b1c-2f1a6c3d4e5f"}, 422},
	} {
		if res, body := e.do("POST", "/api/v1/problems", tc.body, bearer(tc.tok)...); res.StatusCode != tc.want {
			t.Errorf("raise, %s: got %d %v, want %d", tc.name, res.StatusCode, body, tc.want)
		}
	}
	// Lists: the unit's official sees the street's problem among its own.
	for _, tc := range []struct {
		who, tok, path string
		want           int
	}{
		{"community1, as unit", comm1Tok, "/api/v1/problems?unit=1", 1},
		{"community1, all", comm1Tok, "/api/v1/problems", 2},
		{"street1", street1Tok, "/api/v1/problems?area=" + street1, 2},
		{"street2", street2Tok, "/api/v1/problems", 0},
		{"volunteer", volTok, "/api/v1/problems", 1},
		{"another volunteer", vol2Tok, "/api/v1/problems", 0},
		{"street1, rectified", street1Tok, "/api/v1/problems?status=rectified", 1},
	} {
		var list problemsReply
		if code := e.getJSON(tc.path, &list, bearer(tc.tok)...); code != 200 || len(list.Items) != tc.want {
			t.Errorf("list %s as %s: got %d, %d items, want %d", tc.path, tc.who, code, len(list.Items), tc.want)
		}
	}
}

// TestAssignQueuesReminder: with a webhook set, an assignment queues one message in
// its own transaction; without one, none.
func TestAssignQueuesReminder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		webhook string
		want    int
	}{{"", 0}, {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test", 1}} {
		e := newEnv(t, nil, func(c *config.Config) { c.NotifyWebhook = tc.webhook })
		id := e.raise(community1, "环境卫生", "inspection", e.auth()...)
		if code, body := e.step(id, "assign", map[string]any{"unit": community1, "due": e.dayFrom(2)}, e.auth()...); code != 200 {
			t.Fatalf("assign: got %d %v", code, body)
		}
		var n int
		var body string
		e.pool.QueryRow(context.Background(), `SELECT count(*), coalesce(max(body), '') FROM notify_outbox WHERE kind = 'assigned'`).Scan(&n, &body)
		if n != tc.want || (n > 0 && !strings.Contains(body, fmt.Sprintf("/problems/%d)", id))) {
			t.Errorf("webhook %q: got %d messages %q, want %d linking the problem", tc.webhook, n, body, tc.want)
		}
	}
}
