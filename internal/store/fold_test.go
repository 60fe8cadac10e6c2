package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// TestCountsFollowTheTree moves a community to another street after responses were
// counted, and before others were: both streets' figures follow the tree as it is now,
// and a rebuild from the responses agrees with what was kept.
func TestCountsFollowTheTree(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	now := time.Now()
	for _, code := range []string{"c1", "c1", "c2", "c3"} {
		if _, _, err := r.submit(r.sub(code, survey.ChannelQR, r.answers(nil)), now); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.count("s1"); got != 3 {
		t.Fatalf("s1 before the move: got %d, want 3", got)
	}
	// One more response for c1, stored but not yet counted when the tree changes.
	if _, _, err := r.submit(r.sub("c1", survey.ChannelVolunteer, r.answers(nil)), now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := importCSV(t, r.st, "code,name,kind,parent_code,households,in_scope\nc1,望江社区,community,s2,1200,true\n"); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"d1": 5, "s1": 1, "s2": 4, "c1": 3}
	for code, n := range want {
		if got := r.count(code); got != n {
			t.Errorf("%s after the move: got %d, want %d", code, got, n)
		}
	}
	before := map[string]store.Counts{}
	for code := range want {
		c, err := r.counts(code, false, store.CountFilter{SurveyID: r.def.ID})
		if err != nil {
			t.Fatal(err)
		}
		before[code] = c[r.areas[code].ID]
	}
	if err := r.st.RebuildCounts(ctx); err != nil {
		t.Fatal(err)
	}
	for code := range want {
		c, err := r.counts(code, false, store.CountFilter{SurveyID: r.def.ID})
		if err != nil {
			t.Fatal(err)
		}
		for q, options := range before[code] {
			for o, n := range options {
				if got := c[r.areas[code].ID][q][o]; got != n {
					t.Errorf("%s %s=%s after rebuild: got %d, want %d", code, q, o, got, n)
				}
			}
		}
	}
}

// TestFoldCountsOnce folds concurrently with itself and with new submissions: every
// response is counted exactly once.
func TestFoldCountsOnce(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	const writers, each = 4, 25
	errs := make(chan error, writers*2)
	for range writers {
		go func() {
			for range each {
				if _, _, err := r.st.Submit(ctx, r.sub("c2", survey.ChannelQR, r.answers(nil)), time.Now()); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		go func() {
			for range each {
				if _, err := r.st.Fold(ctx); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers * 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := r.count("d1"); got != writers*each {
		t.Errorf("respondents: got %d, want %d", got, writers*each)
	}
}

// TestFoldAgreesWithRecount counts a varied set of responses twice: as they arrive
// (the fold) and all at once (the recount, streaming them through the same rule).
// Every tally, rollup and suggestion must come out the same.
func TestFoldAgreesWithRecount(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-48*time.Hour))
	ctx := context.Background()
	answers := []map[string]any{
		nil,
		{"q24": []any{"parking", "dogs", "other"}, "q25": "路灯坏了，请联系13812345678", "q26": "yes", "q27": "13900001111"},
		{"q24": []any{"sanitation"}, "q25": "希望小区增加停车位"},
		{"q26": "no", "q25": "座机 028-85551234 也行"},
	}
	days := []time.Time{time.Now().Add(-30 * time.Hour), time.Now()}
	for i := range 24 {
		code := []string{"c1", "c2", "c3"}[i%3]
		channel := []survey.Channel{survey.ChannelQR, survey.ChannelVolunteer, survey.ChannelPaper}[i%3]
		if _, _, err := r.submit(r.sub(code, channel, r.answers(answers[i%len(answers)])), days[i%2]); err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if _, err := r.st.Fold(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := r.st.Fold(ctx); err != nil {
		t.Fatal(err)
	}
	folded, err := r.st.Counters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(folded, "138****5678") || !strings.Contains(folded, "|139****1111") ||
		!strings.Contains(folded, "|q24|parking|") {
		t.Fatalf("the fold missed masked phones or multiple choices:\n%s", folded)
	}
	if err := r.st.RebuildCounts(ctx); err != nil {
		t.Fatal(err)
	}
	recounted, err := r.st.Counters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if folded != recounted {
		t.Errorf("fold and recount differ:\nfold:\n%s\nrecount:\n%s", folded, recounted)
	}
}

// TestRecountCountsCountedOnly rebuilds the counters while responses wait in the
// counting queue and others are held for review: afterwards the counters hold exactly
// the counted responses, and the queue is empty.
func TestRecountCountsCountedOnly(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	r.held("c1", survey.ChannelQR, 3, map[string]any{"q25": "路灯坏了 13812345678"})
	r.held("c2", survey.ChannelQR, 2, nil, "too_fast")
	if _, err := r.st.Fold(ctx); err != nil {
		t.Fatal(err)
	}
	r.held("c1", survey.ChannelVolunteer, 4, nil) // queued, not yet folded
	if err := r.st.RebuildCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := r.st.Fold(ctx); err != nil || n != 0 {
		t.Errorf("queue after a recount: got %d to fold (%v), want none", n, err)
	}
	for code, want := range map[string]int{"c1": 7, "c2": 0, "s1": 7, "d1": 7} {
		if got := r.count(code); got != want {
			t.Errorf("%s respondents: got %d, want %d", code, got, want)
		}
	}
	if got := r.suggestions("c1"); got != 3 {
		t.Errorf("suggestions: got %d, want 3", got)
	}
	list, err := r.st.Suggestions(ctx, store.SuggestionFilter{Path: r.areas["c1"].Path, Rounds: []int64{r.round.ID}, Limit: 10})
	if err != nil || len(list) == 0 || list[0].Body != "路灯坏了 138****5678" {
		t.Errorf("suggestion: got %+v (%v), want the phone masked", list, err)
	}
}
