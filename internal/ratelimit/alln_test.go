package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestAllowNAndAtMost spends a budget of 10 an hour in Redis and, with Redis down, in
// process: AllowN passes all or none, AllowAtMost as many as are left.
func TestAllowNAndAtMost(t *testing.T) {
	up := testRedis(t)
	down := redis.NewClient(&redis.Options{Addr: closedAddr(t), ContextTimeoutEnabled: true})
	t.Cleanup(func() { down.Close() })
	fixed := time.Now()
	for _, tc := range []struct {
		name string
		l    *Limiter
	}{
		{"redis", New(up, testPrefix(t, up), nil)},
		{"in process", New(down, "down:", nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.l.now = func() time.Time { return fixed }
			ctx := context.Background()
			lim := PerHour(10)
			for i, step := range []struct {
				op      string
				n, want int // want: requests passed
			}{
				{"n", 4, 4},
				{"n", 7, 0}, // only 6 left: none pass, none spent
				{"most", 4, 4},
				{"most", 5, 2},
				{"most", 3, 0},
				{"n", 1, 0},
			} {
				got := 0
				if step.op == "n" {
					if d := tc.l.AllowN(ctx, "k", lim, step.n); d.Allowed {
						got = step.n
					} else if d.RetryAfter <= 0 {
						t.Errorf("step %d: got RetryAfter %v, want > 0", i, d.RetryAfter)
					}
				} else {
					got = tc.l.AllowAtMost(ctx, "k", lim, step.n)
				}
				if got != step.want {
					t.Errorf("step %d (%s %d): got %d passed, want %d", i, step.op, step.n, got, step.want)
				}
			}
		})
	}
}
