package store_test

import (
	"context"
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
