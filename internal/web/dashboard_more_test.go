package web

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/internal/survey"
)

// TestDashboardTrends cuts a street's headline figures by day, week, month, quarter
// and round, for one channel and a date range.
func TestDashboardTrends(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	past := e.pastRound("9月轮", cst(2026, 9, 20, 0), cst(2026, 10, 20, 0))
	e.seedResponses(past, cst(2026, 9, 28, 10), batch{community1, survey.ChannelQR, 10, map[string]any{"q4": "know"}})
	e.seedResponses(past, cst(2026, 10, 4, 10), batch{community1, survey.ChannelVolunteer, 10, map[string]any{"q4": "dont_know"}})
	e.seedResponses(past, cst(2026, 10, 5, 10),
		batch{community2, survey.ChannelPaper, 10, map[string]any{"q10": "unsure"}},
		batch{community2, survey.ChannelPaper, 10, nil},
		batch{community3, survey.ChannelPaper, 7, nil}) // another street
	e.seedResponses(e.round, time.Now(), batch{community1, survey.ChannelQR, 4, map[string]any{"q4": "dont_know"}})
	type point struct {
		period, start  string
		n, know, valid int
	}
	round := fmt.Sprint(past.ID)
	for _, tc := range []struct {
		query string
		want  []point
	}{
		{"by=day&round=" + round, []point{
			{"2026-09-28", "2026-09-28", 10, 10, 10}, {"2026-10-04", "2026-10-04", 10, 0, 10}, {"2026-10-05", "2026-10-05", 20, 20, 20}}},
		{"by=week&round=" + round, []point{{"2026-W40", "2026-09-28", 20, 10, 20}, {"2026-W41", "2026-10-05", 20, 20, 20}}},
		{"by=month&round=" + round, []point{{"2026-09", "2026-09-01", 10, 10, 10}, {"2026-10", "2026-10-01", 30, 20, 30}}},
		{"by=quarter&round=" + round, []point{{"2026Q3", "2026-07-01", 10, 10, 10}, {"2026Q4", "2026-10-01", 30, 20, 30}}},
		{"by=round&round=all", []point{{"9月轮", "2026-09-20", 40, 30, 40}, {"测试轮", time.Now().In(testConfig().Location).Add(-time.Minute).Format(time.DateOnly), 4, 0, 4}}},
		{"by=month&channel=paper&round=" + round, []point{{"2026-10", "2026-10-01", 20, 20, 20}}},
		{"by=day&from=2026-10-01&to=2026-10-04&round=all", []point{{"2026-10-04", "2026-10-04", 10, 0, 10}}},
	} {
		var got trendsReply
		dashGet(t, e, "/api/v1/dashboard/trends?survey=chuangwen&area="+street1+"&"+tc.query, &got)
		if len(got.Indicators) != 4 || got.Indicators[0].ID != "awareness" {
			t.Fatalf("%s: got %d series, want the 4 headline indicators", tc.query, len(got.Indicators))
		}
		points := got.Indicators[0].Points
		if len(points) != len(tc.want) {
			t.Errorf("%s: got %d points %+v, want %d", tc.query, len(points), points, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			p := points[i]
			if p.Period != w.period || p.Start != w.start || p.Respondents != w.n {
				t.Errorf("%s point %d: got %s from %s with %d, want %s from %s with %d", tc.query, i, p.Period, p.Start, p.Respondents, w.period, w.start, w.n)
			}
			wantRate(t, tc.query+" "+w.period, p.rateFigure, w.know, w.valid)
		}
	}
	// 说不清 stays out of the support rate of 5 October.
	var day trendsReply
	dashGet(t, e, "/api/v1/dashboard/trends?survey=chuangwen&by=day&round="+round+"&area="+street1, &day)
	wantRate(t, "support on 5 October", day.Indicators[1].Points[2].rateFigure, 10, 10)
	if day.Round == nil || day.Round.ID != past.ID || day.By != "day" {
		t.Errorf("reply: got round %v by %s, want the September round by day", day.Round, day.By)
	}
}

// TestDashboardTopics ranks topic indicators from the weakest with their share of
// 不了解, spreads every choice question's answers, and counts the checklist.
func TestDashboardTopics(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 4, map[string]any{"q12": "very_satisfied", "q13": "dissatisfied", "q24": []any{"parking", "dogs"}}},
		batch{community1, survey.ChannelQR, 2, map[string]any{"q12": "dissatisfied", "q24": []any{"parking"}}},
		batch{community1, survey.ChannelVolunteer, 4, map[string]any{"q12": "unknown", "q13": "very_dissatisfied"}},
		batch{community3, survey.ChannelQR, 3, map[string]any{"q24": []any{"market"}}},
	)
	var got topicsReply
	dashGet(t, e, "/api/v1/dashboard/topics?survey=chuangwen&area="+community1, &got)
	if got.Respondents != 10 {
		t.Errorf("respondents: got %d, want 10", got.Respondents)
	}
	var order []string
	for _, f := range got.Indicators {
		order = append(order, f.ID)
		if f.Headline {
			t.Errorf("topics: got headline indicator %s", f.ID)
		}
	}
	wantOrder := []string{"topic_q13", "topic_q12", "topic_q5", "topic_q6", "topic_q7", "topic_q8", "topic_q9", "topic_q11",
		"topic_q14", "topic_q15", "topic_q16", "topic_q17", "topic_q18", "topic_q19", "topic_q20", "topic_q23"}
	if fmt.Sprint(order) != fmt.Sprint(wantOrder) {
		t.Errorf("weakest first: got %v, want %v", order, wantOrder)
	}
	q13, q12 := got.Indicators[0], got.Indicators[1]
	wantRate(t, "topic_q13", rateOf(q13.Result), 2, 10)
	wantRate(t, "topic_q12", rateOf(q12.Result), 4, 6)
	if q12.Answers != 10 || q12.Excluded != 4 || q12.ExcludedShare == nil || !near(*q12.ExcludedShare, 0.4) {
		t.Errorf("topic_q12 不了解: got %d/%d (%v), want 4/10", q12.Excluded, q12.Answers, q12.ExcludedShare)
	}
	if q13.ExcludedShare == nil || *q13.ExcludedShare != 0 {
		t.Errorf("topic_q13 不了解: got %v, want 0", q13.ExcludedShare)
	}
	counts := map[string]string{}
	for _, q := range got.Questions {
		var s []string
		for _, o := range q.Options {
			if o.Count > 0 {
				s = append(s, fmt.Sprintf("%s=%d", o.ID, o.Count))
			}
		}
		answered := "-"
		if q.Answered != nil {
			answered = fmt.Sprint(*q.Answered)
		}
		counts[q.ID] = answered + " " + strings.Join(s, ",")
	}
	for q, want := range map[string]string{
		"q12": "10 very_satisfied=4,dissatisfied=2,unknown=4",
		"q13": "10 very_satisfied=2,dissatisfied=4,very_dissatisfied=4",
		"q24": "6 parking=6,dogs=4", // the respondents who answered: the shares' denominator
		"q26": "0 ",
	} {
		if counts[q] != want {
			t.Errorf("%s: got %q, want %q", q, counts[q], want)
		}
	}
	for _, q := range got.Questions {
		for _, o := range q.Options {
			if q.ID == "q24" && o.ID == "dogs" && o.ShareText != "66.7%" {
				t.Errorf("q24 dogs share: got %q, want 66.7%% (4 of the 6 who answered)", o.ShareText)
			}
		}
	}
	if _, ok := counts["q25"]; ok || len(got.Questions) != 25 {
		t.Errorf("distributions: got %d questions (q25 %v), want the 25 choice questions", len(got.Questions), ok)
	}
	if got.Checklist == nil || got.Checklist.ID != "q24" || len(got.Checklist.Options) != 11 {
		t.Fatalf("checklist: got %+v, want q24 with its 11 options", got.Checklist)
	}
	top := got.Checklist.Options
	if top[0].ID != "parking" || top[0].Count != 6 || top[0].Text != "车辆乱停放、停车难" || top[1].ID != "dogs" || top[1].Count != 4 ||
		top[2].ID != "sanitation" || top[2].Count != 0 {
		t.Errorf("checklist, most named first: got %+v", top[:3])
	}
}

// TestDashboardSuggestions lists what residents wrote, masked, searchable, a page at
// a time, with HTML payloads returned as plain strings.
func TestDashboardSuggestions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	payload := `<img src=x onerror="window.pwned=1">`
	for _, s := range []struct {
		code    string
		answers map[string]any
	}{
		{community1, map[string]any{"q25": "楼道灯坏了，电话13812345678"}},
		{community1, map[string]any{"q25": payload, "q26": "yes", "q27": "13987654321"}},
		{community2, map[string]any{"q25": "满意度100%_很好"}},
		{community3, map[string]any{"q25": "东湖街道的建议"}},
		{community1, map[string]any{"q26": "yes", "q27": "13700000000"}},
	} {
		res, body := e.do("POST", "/api/v1/responses", newSubmission(s.code, answersWith(e.def, s.answers)), e.auth()...)
		checkCreated(t, res, body)
	}
	list := func(query string) ([]string, suggestionsReply) {
		t.Helper()
		var got suggestionsReply
		dashGet(t, e, "/api/v1/dashboard/suggestions?survey=chuangwen&area="+street1+query, &got)
		var out []string
		for _, s := range got.Items {
			out = append(out, s.Area.Code+":"+s.Text+"|"+s.Phone)
			if s.Question != "q25" || s.QuestionText == "" || s.Channel != "volunteer" || s.ChannelLabel != "入户" || s.Day == "" {
				t.Errorf("item: got %+v", s)
			}
		}
		return out, got
	}
	for _, tc := range []struct {
		query string
		want  []string
		more  bool
	}{
		{"&q=" + url.QueryEscape("灯"), []string{community1 + ":楼道灯坏了，电话138****5678|"}, false},
		{"&q=" + url.QueryEscape("%"), []string{community2 + ":满意度100%_很好|"}, false},
		{"&q=" + url.QueryEscape("0%_"), []string{community2 + ":满意度100%_很好|"}, false},
		{"&q=" + url.QueryEscape("ONERROR"), []string{community1 + ":" + payload + "|139****4321"}, false},
		{"&q=" + url.QueryEscape("5678"), []string{community1 + ":楼道灯坏了，电话138****5678|"}, false},
		{"&q=" + url.QueryEscape("1234"), nil, false},
		{"&q=" + url.QueryEscape("东湖"), nil, false}, // street2's
	} {
		got, reply := list(tc.query)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || reply.More != tc.more {
			t.Errorf("%q: got %q (more %v), want %q (more %v)", tc.query, got, reply.More, tc.want, tc.more)
		}
	}
	// Door-to-door texts come in an order that says nothing of when they were given
	// (the visit ledger names each hour's households), the same on every page.
	all, reply := list("")
	want := []string{community1 + ":楼道灯坏了，电话138****5678|", community1 + ":" + payload + "|139****4321", community2 + ":满意度100%_很好|"}
	if !reflect.DeepEqual(slices.Sorted(slices.Values(all)), slices.Sorted(slices.Values(want))) || reply.More {
		t.Errorf("all: got %q (more %v), want %q in any order (more false)", all, reply.More, want)
	}
	first, reply1 := list("&limit=2")
	rest, reply2 := list("&limit=2&offset=2")
	if !slices.Equal(append(first, rest...), all) || !reply1.More || reply2.More {
		t.Errorf("pages: got %q (more %v) then %q (more %v), want %q split after two", first, reply1.More, rest, reply2.More, all)
	}
	_, raw := e.send("GET", "/api/v1/dashboard/suggestions?survey=chuangwen&area="+street1, nil, e.auth()...)
	if strings.Contains(string(raw), "<img") || strings.Contains(string(raw), "13812345678") || strings.Contains(string(raw), "13987654321") {
		t.Errorf("raw reply: got %s, want HTML escaped as JSON string and phone numbers masked", raw)
	}
	for _, q := range []string{"limit=0", "limit=101", "offset=-1", "limit=x", "q=" + url.QueryEscape(strings.Repeat("长", 101))} {
		res, body := e.do("GET", "/api/v1/dashboard/suggestions?survey=chuangwen&area="+street1+"&"+q, nil, e.auth()...)
		checkError(t, res, body, 400, "bad_request")
	}
}

// TestDashboardCoverage compares the distinct households reached, and the answers,
// with households per community, and lists the rounds fielded this month.
func TestDashboardCoverage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	now := time.Now()
	old := e.pastRound("旧轮", now.AddDate(0, 0, -60), now.AddDate(0, 0, -40))
	e.seedResponses(old, now.AddDate(0, 0, -50), batch{community1, survey.ChannelQR, 9, nil})
	e.seedResponses(e.round, now,
		batch{community1, survey.ChannelQR, 30, nil},
		batch{community1, survey.ChannelVolunteer, 10, nil},
		batch{community2, survey.ChannelPaper, 7, nil})
	// 5 households reached door to door in community1, none elsewhere: coverage
	// counts households, not answers.
	e.seedHouseholds(e.round, now, community1, 5)
	var got coverageReply
	dashGet(t, e, "/api/v1/dashboard/coverage?survey=chuangwen&area="+street1, &got)
	if len(got.Rows) != 5 {
		t.Fatalf("rows: got %d, want street1's 5 communities", len(got.Rows))
	}
	for i, w := range []struct {
		code                             string
		households, respondents, reached int
	}{{community1, 2860, 45, 5}, {community2, 1940, 7, 0}, {"990100001003", 2315, 0, 0}} {
		r := got.Rows[i]
		if r.Area.Code != w.code || r.Households == nil || *r.Households != w.households || r.Respondents != w.respondents ||
			r.AnswersPer100 == nil || !near(*r.AnswersPer100, 100*float64(w.respondents)/float64(w.households)) ||
			r.HouseholdsReached != w.reached || r.Coverage == nil || !near(*r.Coverage, 100*float64(w.reached)/float64(w.households)) {
			t.Errorf("row %d: got %+v, want %s with %d answers and %d reached of %d households", i, r, w.code, w.respondents, w.reached, w.households)
		}
	}
	households := 2860 + 1940 + 2315 + 1580 + 3120
	if got.Total.Respondents != 52 || *got.Total.Households != households || !near(*got.Total.AnswersPer100, 5200/float64(households)) ||
		got.Total.HouseholdsReached != 5 || !near(*got.Total.Coverage, 500/float64(households)) {
		t.Errorf("total: got %+v, want 52 answers and 5 households reached of %d households", got.Total, households)
	}
	loc := testConfig().Location
	if len(got.Rounds) != 1 || got.Rounds[0].ID != e.round.ID || got.Month != now.In(loc).Format("2006-01") {
		t.Errorf("rounds this month: got %v in %s, want the open round only", got.Rounds, got.Month)
	}
	var before coverageReply
	dashGet(t, e, fmt.Sprintf("/api/v1/dashboard/coverage?survey=chuangwen&area=%s&round=%d", community1, old.ID), &before)
	if len(before.Rows) != 1 || before.Rows[0].Respondents != 9 || before.Rows[0].HouseholdsReached != 0 {
		t.Errorf("a community in the old round: got %+v, want itself with 9", before.Rows)
	}
}
