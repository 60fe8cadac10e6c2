package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Checks made at once are pipelined together, yet each is decided as if alone: out of
// 300 concurrent requests over three keys with a budget of 40 each, exactly 40 per key
// pass, and every refusal says when to come back.
func TestAllowConcurrentPipelined(t *testing.T) {
	rdb := testRedis(t)
	l := New(rdb, testPrefix(t, rdb), nil, WithTimeout(2*time.Second))
	lim := PerMinute(40)
	var allowed [3]atomic.Int32
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			d := l.Allow(context.Background(), fmt.Sprintf("key%d", i%3), lim)
			if d.Allowed {
				allowed[i%3].Add(1)
			} else if d.RetryAfter < time.Second {
				t.Errorf("refused with RetryAfter %v, want at least 1s", d.RetryAfter)
			}
		})
	}
	wg.Wait()
	for k := range allowed {
		if got := allowed[k].Load(); got != 40 {
			t.Errorf("key%d: %d allowed, want 40", k, got)
		}
	}
	if l.Degraded() {
		t.Errorf("got Degraded true, want the Redis path")
	}
}

// A caller that gives up while its check waits hears so at once, and the limiter is
// not marked as degraded for it.
func TestAllowCallerGivesUp(t *testing.T) {
	rdb := testRedis(t)
	l := New(rdb, testPrefix(t, rdb), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := l.Allow(ctx, "gone", PerMinute(5))
	if !d.Allowed {
		t.Errorf("got refused, want the in-process decision to allow")
	}
	if l.Degraded() {
		t.Errorf("got Degraded true after the caller gave up")
	}
}

func BenchmarkAllowParallel(b *testing.B) {
	rdb := testRedis(b)
	l := New(rdb, testPrefix(b, rdb), nil)
	lim := PerSecond(1_000_000_000)
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Allow(context.Background(), "bench", lim)
		}
	})
}
