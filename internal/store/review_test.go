package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// held stores n responses for an area through a channel and holds them for review
// with the given flags (none: they stay counted).
func (r *responses) held(code string, channel survey.Channel, n int, changes map[string]any, flags ...string) []uuid.UUID {
	r.t.Helper()
	var ids []uuid.UUID
	for range n {
		id, _, err := r.submit(r.sub(code, channel, r.answers(changes)), time.Now())
		if err != nil {
			r.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(flags) > 0 {
		if err := r.st.HoldForReview(context.Background(), flags, ids...); err != nil {
			r.t.Fatal(err)
		}
	}
	return ids
}

// scope is the review scope of an area's subtree in the test survey.
func (r *responses) scope(code, flag string) store.ReviewScope {
	return store.ReviewScope{SurveyID: r.def.ID, Path: r.areas[code].Path, Flag: flag}
}

// exact checks that the counters hold what a recount from the responses makes.
func (r *responses) exact() {
	r.t.Helper()
	ctx := context.Background()
	if _, err := r.st.Fold(ctx); err != nil {
		r.t.Fatal(err)
	}
	folded, err := r.st.Counters(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.st.RebuildCounts(ctx); err != nil {
		r.t.Fatal(err)
	}
	recounted, err := r.st.Counters(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	if folded != recounted {
		r.t.Errorf("counters after decisions differ from a recount:\nfold:\n%s\nrecount:\n%s", folded, recounted)
	}
}

func (r *responses) suggestions(code string) int {
	r.t.Helper()
	list, err := r.st.Suggestions(context.Background(), store.SuggestionFilter{Path: r.areas[code].Path, Rounds: []int64{r.round.ID}, Limit: 100})
	if err != nil {
		r.t.Fatal(err)
	}
	return len(list)
}

func TestPendingCountsAndLists(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	r.held("c1", survey.ChannelQR, 5, nil)
	r.held("c1", survey.ChannelQR, 3, nil, "too_fast")
	r.held("c1", survey.ChannelVolunteer, 2, nil, "entry_burst", "unlisted_household")
	r.held("c3", survey.ChannelQR, 4, nil, "net_burst")
	if got := r.count("d1"); got != 5 {
		t.Errorf("counted respondents: got %d, want 5", got)
	}
	today := time.Now().In(shanghai)
	tomorrow := today.AddDate(0, 0, 1)
	areas := []area.Area{r.areas["d1"], r.areas["s1"], r.areas["s2"], r.areas["c1"], r.areas["c2"]}
	for _, tc := range []struct {
		name string
		f    store.CountFilter
		want map[string]int
	}{
		{"the round", store.CountFilter{SurveyID: r.def.ID, RoundID: r.round.ID}, map[string]int{"d1": 9, "s1": 5, "s2": 4, "c1": 5}},
		{"every round", store.CountFilter{SurveyID: r.def.ID}, map[string]int{"d1": 9, "s1": 5, "s2": 4, "c1": 5}},
		{"qr", store.CountFilter{SurveyID: r.def.ID, Channel: "qr"}, map[string]int{"d1": 7, "s1": 3, "s2": 4, "c1": 3}},
		{"volunteer", store.CountFilter{SurveyID: r.def.ID, Channel: "volunteer"}, map[string]int{"d1": 2, "s1": 2, "c1": 2}},
		{"today", store.CountFilter{SurveyID: r.def.ID, From: &today, To: &today}, map[string]int{"d1": 9, "s1": 5, "s2": 4, "c1": 5}},
		{"from tomorrow", store.CountFilter{SurveyID: r.def.ID, From: &tomorrow}, map[string]int{}},
		{"another round", store.CountFilter{SurveyID: r.def.ID, RoundID: r.round.ID + 1000}, map[string]int{}},
		{"another survey", store.CountFilter{SurveyID: "other"}, map[string]int{}},
	} {
		got, err := r.st.PendingCounts(ctx, areas, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]int{}
		for code, n := range tc.want {
			want[r.areas[code].ID] = n
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
	}

	for _, tc := range []struct {
		code, flag    string
		offset, limit int
		items, total  int
	}{
		{"d1", "", 0, 100, 9, 9},
		{"d1", "", 4, 3, 3, 9},
		{"d1", "", 8, 3, 1, 9},
		{"s1", "too_fast", 0, 100, 3, 3},
		{"s1", "unlisted_household", 0, 100, 2, 2},
		{"c2", "", 0, 100, 0, 0},
		{"s2", "too_fast", 0, 100, 0, 0},
	} {
		items, total, err := r.st.PendingResponses(ctx, r.scope(tc.code, tc.flag), tc.offset, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != tc.items || total != tc.total {
			t.Errorf("%s %q [%d:+%d]: got %d items of %d, want %d of %d", tc.code, tc.flag, tc.offset, tc.limit,
				len(items), total, tc.items, tc.total)
		}
		for _, it := range items {
			if tc.flag != "" && !slices.Contains(it.Flags, tc.flag) || it.AreaCode == "" || it.SubmittedAt.IsZero() {
				t.Errorf("%s %q: got item %+v", tc.code, tc.flag, it)
			}
		}
	}

	groups, err := r.st.PendingGroups(ctx, r.scope("d1", ""))
	if err != nil {
		t.Fatal(err)
	}
	want := "[{c1 望江社区 entry_burst 2} {c1 望江社区 too_fast 3} {c1 望江社区 unlisted_household 2} {c3 东湖社区 net_burst 4}]"
	if got := fmt.Sprint(groups); got != want {
		t.Errorf("groups: got %s, want %s", got, want)
	}
}

// TestDecide accepts and rejects, singly and by flag and area, and reverses
// decisions: every figure moves by exactly the responses decided, suggestions follow,
// and the counters always agree with a recount.
func TestDecide(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	text := map[string]any{"q25": "希望增加路灯"}
	counted := r.held("c1", survey.ChannelQR, 4, text)
	fast := r.held("c1", survey.ChannelQR, 3, text, "too_fast")
	burst := r.held("c2", survey.ChannelQR, 2, nil, "net_burst")
	r.held("c3", survey.ChannelQR, 2, nil, "too_fast")
	admin := int64(0)
	if err := r.st.DB().QueryRow(ctx, `INSERT INTO users (username, role, password_hash) VALUES ('rev', 'admin', 'x') RETURNING id`).Scan(&admin); err != nil {
		t.Fatal(err)
	}
	step := func(name string, d store.Decision, changed int, want map[string]int, suggestions int) {
		t.Helper()
		d.UserID = &admin
		got, err := r.st.Decide(ctx, d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != changed {
			t.Errorf("%s: got %d changed, want %d", name, got, changed)
		}
		for code, n := range want {
			if got := r.count(code); got != n {
				t.Errorf("%s: %s respondents got %d, want %d", name, code, got, n)
			}
		}
		if got := r.suggestions("c1"); got != suggestions {
			t.Errorf("%s: c1 suggestions got %d, want %d", name, got, suggestions)
		}
		r.exact()
	}
	if got := r.count("d1"); got != 4 {
		t.Fatalf("before review: got %d, want 4", got)
	}
	step("accept too_fast under s1", store.Decision{Scope: r.scope("s1", "too_fast"), Accept: true, Reason: "核实为本人填写"},
		3, map[string]int{"c1": 7, "c2": 0, "c3": 0, "d1": 7}, 7)
	step("accept again: nothing pending", store.Decision{Scope: r.scope("s1", "too_fast"), Accept: true}, 0, map[string]int{"d1": 7}, 7)
	step("reject the net_burst ones: never counted", store.Decision{Scope: r.scope("d1", "net_burst"), Reason: "同一网络集中提交"},
		2, map[string]int{"c2": 0, "d1": 7}, 7)
	step("reject one counted and one accepted by id", store.Decision{Scope: r.scope("d1", ""), IDs: []uuid.UUID{counted[0], fast[0]}, Reason: "重复"},
		2, map[string]int{"c1": 5, "d1": 5}, 5)
	step("ids out of scope change nothing", store.Decision{Scope: r.scope("s2", ""), IDs: []uuid.UUID{counted[1], fast[1]}, Reason: "x"},
		0, map[string]int{"c1": 5}, 5)
	step("reverse: accept the rejected", store.Decision{Scope: r.scope("d1", ""), IDs: []uuid.UUID{counted[0], burst[0]}, Accept: true},
		2, map[string]int{"c1": 6, "c2": 1, "d1": 7}, 6)

	// Two decisions before a fold cancel out: reject then accept leaves nothing queued.
	for _, accept := range []bool{false, true} {
		if _, err := r.st.Decide(ctx, store.Decision{Scope: r.scope("d1", ""), IDs: counted[2:3], Accept: accept, Reason: "往返"}); err != nil {
			t.Fatal(err)
		}
	}
	var queued int
	if err := r.st.DB().QueryRow(ctx, `SELECT count(*) FROM uncounted WHERE response_id = $1`, counted[2]).Scan(&queued); err != nil || queued != 0 {
		t.Errorf("queue after reject and accept: got %d rows (%v), want 0", queued, err)
	}
	step("nothing left under c3 but its two", store.Decision{Scope: r.scope("c3", ""), Accept: true}, 2, map[string]int{"c3": 2, "d1": 9}, 6)

	log, err := r.st.ReviewDecisions(ctx, r.scope("d1", ""), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 13 {
		t.Fatalf("decisions: got %d, want 13", len(log))
	}
	last := log[0]
	if last.Decision != "accept" || last.FromStatus != "pending" || last.Status != "counted" || last.Username != "rev" || last.AreaCode != "c3" {
		t.Errorf("newest decision: got %+v", last)
	}
	undone := log[3] // counted[2] accepted back after its rejection
	if undone.ResponseID != counted[2] || undone.Decision != "reject" || undone.FromStatus != "counted" || undone.Reason != "往返" {
		t.Errorf("fourth newest: got %+v", undone)
	}
	if got, err := r.st.ReviewDecisions(ctx, r.scope("s2", ""), 100); err != nil || len(got) != 2 {
		t.Errorf("decisions under s2: got %d (%v), want 2", len(got), err)
	}
}

// TestDecideWhileCounting decides over and over while responses arrive and folds
// run: the counters end where a recount from the responses puts them.
func TestDecideWhileCounting(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	ids := r.held("c1", survey.ChannelQR, 20, map[string]any{"q25": "意见"}, "too_fast")
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				d := store.Decision{Scope: r.scope("d1", ""), IDs: ids[(w*5+i)%20 : (w*5+i)%20+1], Accept: (i+w)%2 == 0}
				if _, err := r.st.Decide(ctx, d); err != nil {
					errs <- err
				}
				if _, _, err := r.st.Submit(ctx, r.sub("c2", survey.ChannelQR, r.answers(nil)), time.Now()); err != nil {
					errs <- err
				}
				if _, err := r.st.Fold(ctx); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	r.exact()
	var counted int
	if err := r.st.DB().QueryRow(ctx, `SELECT count(*) FROM responses WHERE status = 'counted'`).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if got := r.count("d1"); got != counted {
		t.Errorf("respondents: got %d, want the %d counted responses", got, counted)
	}
}
