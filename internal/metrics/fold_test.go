package metrics

import (
	"sync"
	"testing"
	"time"
)

// The counting queue's gauges follow what the store last measured; the age of the
// oldest item grows from when it was stored, and is 0 when nothing waits.
func TestFold(t *testing.T) {
	m := New()
	var mu sync.Mutex
	var q FoldQueue
	m.WatchFold(func() FoldQueue { mu.Lock(); defer mu.Unlock(); return q })
	for _, tc := range []struct {
		name          string
		queue         FoldQueue
		backlog       float64
		oldestAtLeast float64
		oldestBelow   float64
	}{
		{"empty", FoldQueue{}, 0, 0, 1e-9},
		{"waiting a minute", FoldQueue{Backlog: 1200, Oldest: time.Now().Add(-time.Minute)}, 1200, 60, 3600},
		{"drained, oldest stale", FoldQueue{Backlog: 0, Oldest: time.Now().Add(-time.Hour)}, 0, 0, 1e-9},
	} {
		mu.Lock()
		q = tc.queue
		mu.Unlock()
		mfs := scrape(t, m)
		if got, _ := value(mfs, "minyi_fold_backlog", nil); got != tc.backlog {
			t.Errorf("%s: backlog got %v, want %v", tc.name, got, tc.backlog)
		}
		if got, _ := value(mfs, "minyi_fold_oldest_seconds", nil); got < tc.oldestAtLeast || got >= tc.oldestBelow {
			t.Errorf("%s: oldest seconds got %v, want in [%v, %v)", tc.name, got, tc.oldestAtLeast, tc.oldestBelow)
		}
	}
	m.ObserveFold(500, 200*time.Millisecond)
	if got, _ := value(scrape(t, m), "minyi_fold_batch_size", nil); got != 1 {
		t.Errorf("fold batches observed: got %v, want 1", got)
	}
}
