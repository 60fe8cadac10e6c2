package web

import (
	"fmt"
	"strings"
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
		if want := stats.Status(*f.CILow, *f.CIHigh, *f.Target, f.SmallSample); f.TargetStatus == nil || *f.TargetStatus != want {
			t.Errorf("%s: target status got %v, want %v", w.id, f.TargetStatus, want)
		}
		if f.RateText != stats.Percent(w.pos, w.valid) {
			t.Errorf("%s: printed rate got %q, want %q", w.id, f.RateText, stats.Percent(w.pos, w.valid))
		}
		if f.Previous == nil {
			t.Fatalf("%s: no previous figure", w.id)
		}
		wantRate(t, w.id+" before", *f.Previous, w.pos0, w.v0)
		change := stats.Compare(w.pos, w.valid, w.pos0, w.v0)
		if f.Change == nil || f.Change.Diff == nil || !near(*f.Change.Diff, *change.Diff) || !near(*f.Change.Low, *change.Low) ||
			!near(*f.Change.High, *change.High) || *f.Change.Significant != w.significant {
			t.Errorf("%s: change got %+v, want %+v (significant %v)", w.id, f.Change, change, w.significant)
		}
		a, _ := stats.Tenths(w.pos, w.valid)
		b, _ := stats.Tenths(w.pos0, w.v0)
		if f.Change != nil && f.Change.Text != stats.Points(a, b) {
			t.Errorf("%s: printed change got %q, want %q", w.id, f.Change.Text, stats.Points(a, b))
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

// TestDashboardChildren compares a street's communities over two rounds: tiers
// against the siblings' pooled rate, small samples unranked, the street's own
// responses as its own row, and the alerts of an area below its siblings both times.
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
		batch{c(4), survey.ChannelQR, 15, know}, batch{c(4), survey.ChannelQR, 15, dont},
		batch{c(5), survey.ChannelQR, 18, know}, batch{c(5), survey.ChannelQR, 12, map[string]any{"q4": "dont_know", "q21": "unknown"}},
		batch{c(5), survey.ChannelQR, 3, map[string]any{"q21": "unknown"}},
		batch{street1, survey.ChannelVolunteer, 4, dont}, // filed on the street itself
	)
	var got childrenReply
	dashGet(t, e, "/api/v1/dashboard/children?survey=chuangwen&area="+street1, &got)
	if len(got.Rows) != 6 || len(got.Indicators) != len(e.def.Indicators) || got.Weight != "none" || got.Respondent != "all" {
		t.Fatalf("got %d rows, %d indicators, view %v; want 6, %d, none/all", len(got.Rows), len(got.Indicators), got.figureView, len(e.def.Indicators))
	}
	// p0 now = 117/153 = 76.5%: 30/30 is above (Wilson 88.6%–100%), 15/30 below
	// (33.2%–66.8%), 21/33 within (46.6%–77.8%).
	type want struct {
		respondents, know, valid int
		tier, satTier            string
		satValid                 int
	}
	for i, w := range []want{
		{30, 30, 30, "above:1", "within:1", 30},
		{30, 27, 30, "within:2", "within:1", 30},
		{30, 24, 30, "within:3", "within:1", 30},
		{30, 15, 30, "below:5", "within:1", 30},
		{33, 21, 33, "within:4", "-", 18},
	} {
		row := got.Rows[i]
		if row.Area.Code != c(i+1) || row.Respondents != w.respondents || row.Area.Own {
			t.Errorf("row %d: got %s with %d, want %s with %d", i, row.Area.Code, row.Respondents, c(i+1), w.respondents)
		}
		aware, sat := row.Indicators[0], row.Indicators[2]
		wantRate(t, row.Area.Code+" awareness", rateOf(aware.Result), w.know, w.valid)
		if got := standings(aware.Standing, sat.Standing); got != w.tier+" "+w.satTier {
			t.Errorf("%s tiers (awareness, satisfaction): got %s, want %s %s", row.Area.Code, got, w.tier, w.satTier)
		}
		if sat.Valid != w.satValid || sat.SmallSample != (w.satValid < 30) {
			t.Errorf("%s satisfaction: got %d valid (small %v), want %d", row.Area.Code, sat.Valid, sat.SmallSample, w.satValid)
		}
		for _, f := range row.Indicators[4:] {
			if f.Standing != nil {
				t.Errorf("%s %s: got standing %v, want none for a topic", row.Area.Code, f.ID, *f.Standing)
			}
		}
	}
	// The street's own row: its 4 answers, unranked; the rows sum to the street.
	own := got.Rows[5]
	if !own.Area.Own || own.Area.Code != street1 || !strings.HasSuffix(own.Area.Name, "本级") ||
		own.Respondents != 4 || own.Indicators[0].Standing != nil {
		t.Errorf("own row: got %+v with %d, want the street's 4 answers, 本级, unranked", own.Area, own.Respondents)
	}
	var overview overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&area="+street1, &overview)
	sum := 0
	for _, row := range got.Rows {
		sum += row.Respondents
	}
	if sum != overview.Respondents {
		t.Errorf("rows sum to %d, want the street's %d", sum, overview.Respondents)
	}

	// c4: below both times (p0 before = 105/130, 18/30 reaches 75.4%) and strictly last
	// by shrunk rate both times. c5 was too small before.
	var alerts []string
	for _, a := range got.Alerts {
		ev := a.Evidence
		alerts = append(alerts, fmt.Sprintf("%s %s %s %d/%d %d/%d", a.Indicator, a.Area.Code, a.Kind,
			ev.Now.Positive, ev.Now.Valid, ev.Previous.Positive, ev.Previous.Valid))
		if ev.Now.Round != e.round.Name || ev.Previous.Round != before.Name || !near(ev.Now.P0, 117.0/153) ||
			!near(ev.Previous.P0, 105.0/130) || ev.Now.CIHigh >= ev.Now.P0 && a.Kind == stats.BelowTwice {
			t.Errorf("alert evidence: got %+v", ev)
		}
	}
	wantAlerts := []string{"awareness " + c(4) + " below_twice 15/30 18/30", "awareness " + c(4) + " last_twice 15/30 18/30"}
	if fmt.Sprint(alerts) != fmt.Sprint(wantAlerts) {
		t.Errorf("alerts: got %v, want %v", alerts, wantAlerts)
	}

	// With no round before, there is nothing to alert about.
	var first childrenReply
	dashGet(t, e, fmt.Sprintf("/api/v1/dashboard/children?survey=chuangwen&area=%s&round=%d", street1, before.ID), &first)
	if len(first.Alerts) != 0 || first.Previous != nil {
		t.Errorf("first round: got alerts %v, previous %v; want none", first.Alerts, first.Previous)
	}

	// The ranking of the same figures: by tier, then shrunk rate; small samples apart.
	for _, tc := range []struct {
		query         string
		ranked, small string
	}{
		{"indicator=awareness&area=" + street1, "[1:above:" + c(1) + " 2:within:" + c(2) + " 3:within:" + c(3) + " 4:within:" + c(5) + " 5:below:" + c(4) + "]", "[]"},
		{"indicator=satisfaction&area=" + street1, "[1:within:" + c(1) + " 1:within:" + c(2) + " 1:within:" + c(3) + " 1:within:" + c(4) + "]", "[" + c(5) + "]"},
		{"indicator=awareness&level=community&area=" + street2, "[]", "[990100002001 990100002002 990100002003 990100002004 990100002005]"},
	} {
		var r rankingReply
		dashGet(t, e, "/api/v1/dashboard/ranking?survey=chuangwen&"+tc.query, &r)
		var ranked, small []string
		for _, a := range r.Ranked {
			ranked = append(ranked, fmt.Sprintf("%d:%s:%s", a.Place, a.Tier, a.Area.Code))
		}
		for _, a := range r.Small {
			small = append(small, a.Area.Code)
			if a.StandingFigure != nil {
				t.Errorf("%s: small sample %s ranked %v", tc.query, a.Area.Code, *a.StandingFigure)
			}
		}
		if fmt.Sprint(ranked) != tc.ranked || (tc.small != "" && fmt.Sprint(small) != tc.small) {
			t.Errorf("ranking %s: got %v apart %v, want %s apart %s", tc.query, ranked, small, tc.ranked, tc.small)
		}
	}
	var rk rankingReply
	dashGet(t, e, "/api/v1/dashboard/ranking?survey=chuangwen&indicator=awareness&area="+street1, &rk)
	if rk.P0 == nil || !near(*rk.P0, 117.0/153) || rk.P0Text != "76.5%" || rk.K < stats.MinK || rk.K > stats.MaxK ||
		len(rk.Funnel) == 0 || len(rk.Alerts) != 2 {
		t.Errorf("ranking: got p0 %v (%s), k %v, %d funnel points, %d alerts", rk.P0, rk.P0Text, rk.K, len(rk.Funnel), len(rk.Alerts))
	}
	for _, a := range rk.Ranked {
		var x, n int
		for _, row := range got.Rows {
			if row.Area.Code == a.Area.Code {
				x, n = row.Indicators[0].Positive, row.Indicators[0].Valid
			}
		}
		if want := (float64(x) + rk.K**rk.P0) / (float64(n) + rk.K); !near(a.Shrunk, want) {
			t.Errorf("%s shrunk rate: got %v, want (%d + k·p0)/(%d + k) = %v", a.Area.Code, a.Shrunk, x, n, want)
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

// standings prints the tiers and places of figures, "-" for an unranked one.
func standings(list ...*StandingFigure) string {
	var out []string
	for _, s := range list {
		if s == nil {
			out = append(out, "-")
			continue
		}
		out = append(out, fmt.Sprintf("%s:%d", s.Tier, s.Place))
	}
	return strings.Join(out, " ")
}
