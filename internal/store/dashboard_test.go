package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// TestCells reads counts per area, round and channel, pools them, limits them to some
// questions, and counts every option of a multiple choice.
func TestCells(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	now := time.Now()
	for _, s := range []struct {
		code    string
		channel survey.Channel
		changes map[string]any
	}{
		{"c1", survey.ChannelQR, map[string]any{"q4": "know", "q24": []any{"parking", "dogs"}}},
		{"c1", survey.ChannelQR, map[string]any{"q4": "dont_know", "q24": []any{"parking"}}},
		{"c1", survey.ChannelVolunteer, map[string]any{"q4": "know"}},
		{"c2", survey.ChannelPaper, map[string]any{"q4": "know", "q24": []any{"dogs", "market", "other"}}},
		{"c3", survey.ChannelQR, map[string]any{"q4": "dont_know", "q24": []any{"parking"}}},
	} {
		if _, _, err := r.submit(r.sub(s.code, s.channel, r.answers(s.changes)), now); err != nil {
			t.Fatal(err)
		}
	}
	round := r.round.ID
	s1, c1 := r.areas["s1"].ID, r.areas["c1"].ID
	r.fold()
	cells, err := r.st.Cells(ctx, store.CellQuery{SurveyID: r.def.ID, Areas: []int64{s1, c1}, Rounds: []int64{round}, Questions: []string{"q4", "q24"}})
	if err != nil {
		t.Fatal(err)
	}
	type n struct{ respondents, know, parking, dogs, market, q10, answered int }
	of := func(c store.Counts) n {
		return n{c.Respondents(), c["q4"]["know"], c["q24"]["parking"], c["q24"]["dogs"], c["q24"]["market"], len(c["q10"]),
			c["q24"][store.AnsweredOption]}
	}
	rounds := func(ids ...int64) []int64 { return ids }
	for _, tc := range []struct {
		name string
		got  store.Counts
		want n
	}{
		{"street pooled", cells.Sum(s1, "", rounds(round)), n{4, 3, 2, 2, 1, 0, 3}},
		{"street, every round", cells.Sum(s1, "", nil), n{4, 3, 2, 2, 1, 0, 3}},
		{"community pooled", cells.Sum(c1, "", rounds(round)), n{3, 2, 2, 1, 0, 0, 2}},
		{"street qr", cells.Sum(s1, "qr", rounds(round)), n{2, 1, 2, 1, 0, 0, 2}},
		{"street paper", cells.Sum(s1, "paper", rounds(round)), n{1, 1, 0, 1, 1, 0, 1}},
		{"another round", cells.Sum(s1, "", rounds(round+1)), n{}},
		{"another area", cells.Sum(r.areas["s2"].ID, "", rounds(round)), n{}},
	} {
		if got := of(tc.got); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	all, err := r.st.Cells(ctx, store.CellQuery{SurveyID: r.def.ID, Areas: []int64{s1}, Rounds: []int64{round}})
	if err != nil {
		t.Fatal(err)
	}
	if got := all.Sum(s1, "", nil)["q10"]["support"]; got != 4 {
		t.Errorf("every question: q10 support got %d, want 4", got)
	}
	none, err := r.st.Cells(ctx, store.CellQuery{SurveyID: r.def.ID, Rounds: []int64{round}})
	if err != nil || len(none) != 0 {
		t.Errorf("no areas: got %v (%v), want nothing", none, err)
	}
}

// TestTrend cuts an area's counts by calendar period, in the store's time zone, and
// by round, for one channel or a date range.
func TestTrend(t *testing.T) {
	t.Parallel()
	at := func(m time.Month, d, hour int) time.Time { return time.Date(2026, m, d, hour, 0, 0, 0, shanghai) }
	r := newResponses(t, at(3, 1, 0))
	ctx := context.Background()
	know, dontKnow := r.answers(map[string]any{"q4": "know"}), r.answers(map[string]any{"q4": "dont_know"})
	submit := func(code string, ch survey.Channel, a survey.Answers, when time.Time) {
		t.Helper()
		if _, _, err := r.submit(r.sub(code, ch, a), when); err != nil {
			t.Fatal(err)
		}
	}
	submit("c1", survey.ChannelQR, know, at(3, 2, 10))       // Monday, week 10
	submit("c1", survey.ChannelQR, dontKnow, at(3, 8, 10))   // Sunday, week 10
	submit("c2", survey.ChannelPaper, know, at(3, 9, 10))    // Monday, week 11
	submit("c3", survey.ChannelQR, know, at(3, 9, 11))       // another street
	submit("c1", survey.ChannelVolunteer, know, at(4, 1, 9)) // April, second quarter
	// 16:30 UTC on 31 March is 00:30 on 1 April in Shanghai.
	submit("c2", survey.ChannelQR, dontKnow, time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC))
	first := r.round
	if _, err := r.st.CloseRound(ctx, r.def.ID, at(4, 2, 0)); err != nil {
		t.Fatal(err)
	}
	second, err := r.st.StartRound(ctx, r.def.ID, "第2轮", nil, at(4, 2, 0))
	if err != nil {
		t.Fatal(err)
	}
	r.round = second
	submit("c1", survey.ChannelQR, know, at(4, 3, 9))

	date := func(m time.Month, d int) *time.Time { x := at(m, d, 0); return &x }
	for _, tc := range []struct {
		name string
		f    store.TrendFilter
		want string // start: respondents/know, ...
	}{
		{"by day", store.TrendFilter{By: "day"}, "2026-03-02:1/1 2026-03-08:1/0 2026-03-09:1/1 2026-04-01:2/1 2026-04-03:1/1"},
		{"by week, from Monday", store.TrendFilter{By: "week"}, "2026-03-02:2/1 2026-03-09:1/1 2026-03-30:3/2"},
		{"by month", store.TrendFilter{By: "month"}, "2026-03-01:3/2 2026-04-01:3/2"},
		{"by quarter", store.TrendFilter{By: "quarter"}, "2026-01-01:3/2 2026-04-01:3/2"},
		{"by round", store.TrendFilter{By: "round"}, fmt.Sprintf("%s:5/3 %s:1/1",
			first.OpenedAt.UTC().Format(time.DateOnly), second.OpenedAt.UTC().Format(time.DateOnly))},
		{"one round by month", store.TrendFilter{By: "month", RoundID: first.ID}, "2026-03-01:3/2 2026-04-01:2/1"},
		{"qr by month", store.TrendFilter{By: "month", Channel: "qr"}, "2026-03-01:2/1 2026-04-01:2/1"},
		{"a date range", store.TrendFilter{By: "day", From: date(3, 8), To: date(4, 1)}, "2026-03-08:1/0 2026-03-09:1/1 2026-04-01:2/1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.SurveyID, tc.f.Questions = r.def.ID, []string{"q4"}
			r.fold()
			got, err := r.st.Trend(ctx, r.areas["s1"].ID, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			s := ""
			for i, p := range got {
				if i > 0 {
					s += " "
				}
				s += fmt.Sprintf("%s:%d/%d", p.Start.UTC().Format(time.DateOnly), p.Counts.Respondents(), p.Counts["q4"]["know"])
				if len(p.Counts["q10"]) > 0 {
					t.Errorf("%s: q10 read though not asked for", p.Start)
				}
			}
			if s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
		})
	}
}
