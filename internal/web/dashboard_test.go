package web

import (
	"fmt"
	"testing"
	"time"

	"minyi/internal/stats"
	"minyi/internal/survey"
)

// TestDashboardOverview checks the headline figures of a street in the open round:
// rates, n, intervals, targets, the change against the round before with its
// significance, the channel split, and an area without answers.
func TestDashboardOverview(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	before := e.pastRound("10月第1轮", cst(2026, 10, 1, 0), cst(2026, 10, 31, 0))
	e.seedResponses(before, cst(2026, 10, 15, 10),
		batch{community1, survey.ChannelQR, 30, map[string]any{"q4": "know"}},
		batch{community1, survey.ChannelQR, 20, map[string]any{"q4": "dont_know"}},
	)
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 27, map[string]any{"q4": "know"}},
		batch{community1, survey.ChannelQR, 3, map[string]any{"q4": "dont_know", "q21": "unknown"}},
		batch{community1, survey.ChannelVolunteer, 2, map[string]any{"q22": "never"}},
		batch{community1, survey.ChannelVolunteer, 8, nil},
		batch{community2, survey.ChannelPaper, 5, map[string]any{"q10": "unsure"}},
		batch{community2, survey.ChannelPaper, 5, nil},
		batch{community2, survey.ChannelPaper, 10, map[string]any{"q4": "dont_know", "q10": "oppose"}},
		batch{community3, survey.ChannelQR, 5, nil}, // another street
	)
	var got overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&area="+street1, &got)
	if got.Area.Code != street1 || got.Round == nil || got.Round.ID != e.round.ID || got.Previous == nil ||
		got.Previous.ID != before.ID || !got.Open {
		t.Fatalf("view: got area %s round %v previous %v open %v, want street1 in the open round after %d",
			got.Area.Code, got.Round, got.Previous, got.Open, before.ID)
	}
	if got.Respondents != 60 || got.PreviousRespondents == nil || *got.PreviousRespondents != 50 {
		t.Errorf("respondents: got %d (before %v), want 60 (before 50)", got.Respondents, got.PreviousRespondents)
	}
	wantChannels := []channelCount{{"qr", "扫码自填", 30}, {"volunteer", "入户", 10}, {"paper", "纸质录入", 20}}
	if fmt.Sprint(got.Channels) != fmt.Sprint(wantChannels) {
		t.Errorf("channels: got %v, want %v", got.Channels, wantChannels)
	}
	type want struct {
		id                   string
		pos, valid, pos0, v0 int
		meets, significant   bool
		qr, volunteer, paper [2]int
	}
	for i, w := range []want{
		{"awareness", 47, 60, 30, 50, false, true, [2]int{27, 30}, [2]int{10, 10}, [2]int{10, 20}},
		{"support", 45, 55, 50, 50, false, true, [2]int{30, 30}, [2]int{10, 10}, [2]int{5, 15}},
		{"satisfaction", 57, 57, 50, 50, true, false, [2]int{27, 27}, [2]int{10, 10}, [2]int{20, 20}},
		{"participation", 58, 60, 50, 50, true, false, [2]int{30, 30}, [2]int{8, 10}, [2]int{20, 20}},
	} {
		if i >= len(got.Indicators) {
			t.Fatalf("indicators: got %d, want 4", len(got.Indicators))
		}
		f := got.Indicators[i]
		if f.ID != w.id || !f.Headline {
			t.Fatalf("indicator %d: got %s, want headline %s", i, f.ID, w.id)
		}
		wantRate(t, w.id, rateOf(f.Result), w.pos, w.valid)
		if f.Target == nil || f.MeetsTarget == nil || *f.MeetsTarget != w.meets {
			t.Errorf("%s: meets target %v (target %v), want %v", w.id, f.MeetsTarget, f.Target, w.meets)
		}
		if f.Previous == nil {
			t.Fatalf("%s: no previous figure", w.id)
		}
		wantRate(t, w.id+" before", *f.Previous, w.pos0, w.v0)
		change, _ := stats.Compare(w.pos, w.valid, w.pos0, w.v0)
		if f.Change == nil || !near(f.Change.Delta, change.Delta) || !near(f.Change.P, change.P) ||
			f.Change.Significant != w.significant {
			t.Errorf("%s: change got %+v, want %+v (significant %v)", w.id, f.Change, change, w.significant)
		}
		for j, ch := range [][2]int{w.qr, w.volunteer, w.paper} {
			c := f.Channels[j]
			if c.Channel != string(dashChannels[j]) {
				t.Errorf("%s channel %d: got %s, want %s", w.id, j, c.Channel, dashChannels[j])
			}
			wantRate(t, w.id+" "+c.Channel, c.rateFigure, ch[0], ch[1])
		}
	}

	// An area without answers: rates undefined, never 0%; no change to speak of.
	var empty overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&area="+community2+"&round="+fmt.Sprint(before.ID), &empty)
	if empty.Respondents != 0 || empty.Open || empty.Previous != nil {
		t.Errorf("community2 in the closed round: got %d respondents, open %v, previous %v; want 0, closed, none",
			empty.Respondents, empty.Open, empty.Previous)
	}
	for _, f := range empty.Indicators {
		wantRate(t, "empty "+f.ID, rateOf(f.Result), 0, 0)
		if f.Change != nil || f.Previous != nil || f.MeetsTarget != nil {
			t.Errorf("empty %s: got change %v, previous %v, meets %v; want none", f.ID, f.Change, f.Previous, f.MeetsTarget)
		}
	}

	// Every round pooled: no round, no previous one.
	var all overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&round=all&area="+street1, &all)
	if all.Respondents != 110 || all.Round != nil || all.Previous != nil || all.Indicators[0].Valid != 110 {
		t.Errorf("round=all: got %d respondents, round %v, previous %v", all.Respondents, all.Round, all.Previous)
	}
}

// TestDashboardChildren ranks a street's communities over two rounds: small samples
// unranked, below-target figures marked, and an alert for the communities in the
// bottom three both times.
func TestDashboardChildren(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	before := e.pastRound("10月第1轮", cst(2026, 10, 1, 0), cst(2026, 10, 31, 0))
	c := func(n int) string { return fmt.Sprintf("99010000100%d", n) }
	know := map[string]any{"q4": "know"}
	dont := map[string]any{"q4": "dont_know"}
	e.seedResponses(before, cst(2026, 10, 15, 10),
		batch{c(1), survey.ChannelQR, 20, know}, batch{c(1), survey.ChannelQR, 10, dont},
		batch{c(2), survey.ChannelQR, 29, know}, batch{c(2), survey.ChannelQR, 1, dont},
		batch{c(3), survey.ChannelQR, 28, know}, batch{c(3), survey.ChannelQR, 2, dont},
		batch{c(4), survey.ChannelQR, 18, know}, batch{c(4), survey.ChannelQR, 12, dont},
		batch{c(5), survey.ChannelQR, 10, know}, // a small sample: never ranked
	)
	e.seedResponses(e.round, time.Now(),
		batch{c(1), survey.ChannelQR, 30, know},
		batch{c(2), survey.ChannelQR, 27, know}, batch{c(2), survey.ChannelQR, 3, dont},
		batch{c(3), survey.ChannelQR, 24, know}, batch{c(3), survey.ChannelQR, 6, dont},
		batch{c(4), survey.ChannelQR, 21, know}, batch{c(4), survey.ChannelQR, 9, dont},
		batch{c(5), survey.ChannelQR, 18, know}, batch{c(5), survey.ChannelQR, 12, map[string]any{"q4": "dont_know", "q21": "unknown"}},
		batch{c(5), survey.ChannelQR, 3, map[string]any{"q21": "unknown"}},
	)
	var got childrenReply
	dashGet(t, e, "/api/v1/dashboard/children?survey=chuangwen&area="+street1, &got)
	if len(got.Rows) != 5 || len(got.Indicators) != len(e.def.Indicators) {
		t.Fatalf("got %d rows and %d indicators, want 5 and %d", len(got.Rows), len(got.Indicators), len(e.def.Indicators))
	}
	type want struct {
		respondents, know, valid int
		rank, satRank            string
		satValid                 int
	}
	for i, w := range []want{
		{30, 30, 30, "1", "1", 30},
		{30, 27, 30, "2", "1", 30},
		{30, 24, 30, "3", "1", 30},
		{30, 21, 30, "4", "1", 30},
		{33, 21, 33, "5", "-", 18},
	} {
		row := got.Rows[i]
		if row.Area.Code != c(i+1) || row.Respondents != w.respondents {
			t.Errorf("row %d: got %s with %d, want %s with %d", i, row.Area.Code, row.Respondents, c(i+1), w.respondents)
		}
		aware, sat := row.Indicators[0], row.Indicators[2]
		wantRate(t, row.Area.Code+" awareness", rateOf(aware.Result), w.know, w.valid)
		if aware.BelowTarget != (w.know < w.valid) {
			t.Errorf("%s awareness below target: got %v, want %v", row.Area.Code, aware.BelowTarget, w.know < w.valid)
		}
		if got := places([]*int{aware.Rank, sat.Rank}); got != fmt.Sprintf("[%s %s]", w.rank, w.satRank) {
			t.Errorf("%s ranks (awareness, satisfaction): got %s, want [%s %s]", row.Area.Code, got, w.rank, w.satRank)
		}
		if sat.Valid != w.satValid || sat.SmallSample != (w.satValid < 30) {
			t.Errorf("%s satisfaction: got %d valid (small %v), want %d", row.Area.Code, sat.Valid, sat.SmallSample, w.satValid)
		}
		for _, f := range row.Indicators[4:] {
			if f.Rank != nil {
				t.Errorf("%s %s: got rank %d, want none for a topic", row.Area.Code, f.ID, *f.Rank)
			}
		}
	}
	// Now: bottom three c3, c4, c5. Before: c3, c1, c4 (c5 was too small to rank).
	var alerts []string
	for _, a := range got.Alerts {
		alerts = append(alerts, fmt.Sprintf("%s %s %d/%d %d/%d", a.Indicator, a.Area.Code, a.Rank, a.Ranked, a.PreviousRank, a.PreviousRanked))
	}
	wantAlerts := []string{"awareness " + c(3) + " 3/5 2/4", "awareness " + c(4) + " 4/5 4/4"}
	if fmt.Sprint(alerts) != fmt.Sprint(wantAlerts) {
		t.Errorf("alerts: got %v, want %v", alerts, wantAlerts)
	}
	if len(got.Alerts) > 0 && (got.Alerts[0].Round != e.round.Name || got.Alerts[0].PreviousRound != before.Name) {
		t.Errorf("alert rounds: got %q and %q", got.Alerts[0].Round, got.Alerts[0].PreviousRound)
	}

	// With no round before, there is nothing to alert about.
	var first childrenReply
	dashGet(t, e, fmt.Sprintf("/api/v1/dashboard/children?survey=chuangwen&area=%s&round=%d", street1, before.ID), &first)
	if len(first.Alerts) != 0 || first.Previous != nil {
		t.Errorf("first round: got alerts %v, previous %v; want none", first.Alerts, first.Previous)
	}

	// The ranking of the same figures: best first, small samples apart.
	for _, tc := range []struct {
		query         string
		ranked, small string
	}{
		{"indicator=awareness&area=" + street1, "[1:" + c(1) + " 2:" + c(2) + " 3:" + c(3) + " 4:" + c(4) + " 5:" + c(5) + "]", "[]"},
		{"indicator=satisfaction&area=" + street1, "[1:" + c(1) + " 1:" + c(2) + " 1:" + c(3) + " 1:" + c(4) + "]", "[" + c(5) + "]"},
		{"area=" + street1, "[1:" + c(1) + " 2:" + c(2) + " 3:" + c(3) + " 4:" + c(4) + " 5:" + c(5) + "]", "[]"},
		{"indicator=awareness&area=" + district, "[1:" + street1 + "]", "[" + street2 + " 990100003000]"},
		{"indicator=awareness&level=community&area=" + street2, "[]", "[990100002001 990100002002 990100002003 990100002004 990100002005]"},
		{fmt.Sprintf("indicator=awareness&level=community&area=%s&round=%d", district, before.ID),
			"[1:" + c(2) + " 2:" + c(3) + " 3:" + c(1) + " 4:" + c(4) + "]", ""},
	} {
		var r rankingReply
		dashGet(t, e, "/api/v1/dashboard/ranking?survey=chuangwen&"+tc.query, &r)
		var ranked, small []string
		for _, a := range r.Ranked {
			ranked = append(ranked, fmt.Sprintf("%d:%s", *a.Rank, a.Area.Code))
		}
		for _, a := range r.Small {
			small = append(small, a.Area.Code)
			if a.Rank != nil {
				t.Errorf("%s: small sample %s ranked %d", tc.query, a.Area.Code, *a.Rank)
			}
		}
		if fmt.Sprint(ranked) != tc.ranked || (tc.small != "" && fmt.Sprint(small) != tc.small) {
			t.Errorf("ranking %s: got %v apart %v, want %s apart %s", tc.query, ranked, small, tc.ranked, tc.small)
		}
	}
	var r rankingReply
	dashGet(t, e, "/api/v1/dashboard/ranking?survey=chuangwen&indicator=awareness&level=community&area="+district, &r)
	if len(r.Ranked)+len(r.Small) != 15 || r.Level != "community" || r.Indicator.ID != "awareness" {
		t.Errorf("every community of the district: got %d ranked + %d apart (%s %s), want 15",
			len(r.Ranked), len(r.Small), r.Level, r.Indicator.ID)
	}
	if len(r.Ranked) > 0 {
		wantRate(t, "ranked "+r.Ranked[1].Area.Code, r.Ranked[1].rateFigure, 27, 30)
	}
}
