package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"minyi/internal/survey"
)

// TestInsertPastRound stores a closed round before the open one, and refuses one that
// overlaps a round or has not ended yet.
func TestInsertPastRound(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	r := newResponses(t, now.Add(-time.Hour))
	open := r.round
	past, err := r.st.InsertPastRound(ctx, r.def.ID, open.VersionID, "上一轮", now.Add(-10*24*time.Hour), now.Add(-2*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if past.Open(now) || past.Name != "上一轮" || past.Version != open.Version {
		t.Errorf("past round: got %+v, want a closed round of version %d", past, open.Version)
	}
	for _, tc := range []struct {
		name           string
		opened, closes time.Time
		want           error
	}{
		{"overlaps the open round", now.Add(-3 * time.Hour), now.Add(-30 * time.Minute), survey.ErrConflict},
		{"overlaps the past round", now.Add(-20 * 24 * time.Hour), now.Add(-9 * 24 * time.Hour), survey.ErrConflict},
	} {
		if _, err := r.st.InsertPastRound(ctx, r.def.ID, open.VersionID, "x", tc.opened, tc.closes, now); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := r.st.InsertPastRound(ctx, r.def.ID, open.VersionID, "x", now.Add(-time.Hour), now.Add(time.Hour), now); err == nil {
		t.Errorf("a round that has not ended: got no error")
	}
}
