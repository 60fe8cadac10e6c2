package ratelimit

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"minyi/internal/testenv"
)

func TestMain(m *testing.M) {
	testenv.QuietRedisLogs()
	os.Exit(m.Run())
}

// testRedis is a client on the test Redis; see testenv.Redis.
func testRedis(t testing.TB) *redis.Client {
	t.Helper()
	rdb, _ := testenv.Redis(t)
	return rdb
}

var prefixSeq atomic.Int64

// testPrefix returns a key prefix no other test uses and deletes its keys afterwards.
func testPrefix(t testing.TB, rdb *redis.Client) string {
	t.Helper()
	p := fmt.Sprintf("test:%d:%d:", time.Now().UnixNano(), prefixSeq.Add(1))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, "rate:"+p+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	return p
}

// logBuffer collects log output for counting transitions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

// checkBurst asserts that lim lets exactly its burst through for key, then refuses
// with a RetryAfter in whole seconds between one second and one emission interval.
func checkBurst(t *testing.T, l *Limiter, key string, lim Limit) {
	t.Helper()
	ctx := t.Context()
	burst := lim.normalized().Burst
	for i := range burst {
		d := l.Allow(ctx, key, lim)
		if !d.Allowed || d.RetryAfter != 0 {
			t.Fatalf("request %d: got %+v, want allowed with no RetryAfter", i+1, d)
		}
		if want := burst - i - 1; d.Remaining != want {
			t.Errorf("request %d: got Remaining %d, want %d", i+1, d.Remaining, want)
		}
	}
	d := l.Allow(ctx, key, lim)
	maxWait := retryAfter(lim.Period / time.Duration(lim.Rate))
	if d.Allowed {
		t.Fatalf("request %d: got allowed, want refused", burst+1)
	}
	if d.RetryAfter < time.Second || d.RetryAfter > maxWait || d.RetryAfter%time.Second != 0 {
		t.Errorf("got RetryAfter %v, want whole seconds in [1s, %v]", d.RetryAfter, maxWait)
	}
}

var burstCases = []struct {
	name string
	lim  Limit
}{
	{"per second", PerSecond(5)},
	{"per minute", PerMinute(3)},
	{"per hour", PerHour(2)},
	{"burst above rate", Limit{Rate: 1, Period: time.Hour, Burst: 4}},
	{"zero burst means rate", Limit{Rate: 2, Period: time.Minute}},
}

func TestAllowBurst(t *testing.T) {
	rdb := testRedis(t)
	for _, tc := range burstCases {
		t.Run(tc.name, func(t *testing.T) {
			l := New(rdb, testPrefix(t, rdb), nil, WithTimeout(2*time.Second))
			checkBurst(t, l, "ip:192.0.2.1", tc.lim)
			if l.Degraded() {
				t.Errorf("got Degraded true, want false")
			}
			if n := l.local.size(); n != 0 {
				t.Errorf("got %d in-process limiters, want 0 while Redis answers", n)
			}
		})
	}
}

func TestAllowIndependent(t *testing.T) {
	rdb := testRedis(t)
	lim := PerMinute(1)
	for _, tc := range []struct {
		name        string
		samePrefix  bool
		key         string
		wantAllowed bool
	}{
		{"same prefix same key", true, "k", false},
		{"same prefix other key", true, "k2", true},
		{"other prefix same key", false, "k", true},
		{"other prefix other key", false, "k2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := New(rdb, testPrefix(t, rdb), nil, WithTimeout(2*time.Second))
			b := New(rdb, testPrefix(t, rdb), nil, WithTimeout(2*time.Second))
			if d := a.Allow(t.Context(), "k", lim); !d.Allowed {
				t.Fatalf("first request: got %+v, want allowed", d)
			}
			other := b
			if tc.samePrefix {
				other = a
			}
			if got := other.Allow(t.Context(), tc.key, lim).Allowed; got != tc.wantAllowed {
				t.Errorf("got Allowed %v, want %v", got, tc.wantAllowed)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct{ in, want time.Duration }{
		{-1, time.Second},
		{0, time.Second},
		{200 * time.Millisecond, time.Second},
		{time.Second, time.Second},
		{1001 * time.Millisecond, 2 * time.Second},
		{20 * time.Second, 20 * time.Second},
	} {
		if got := retryAfter(tc.in); got != tc.want {
			t.Errorf("retryAfter(%v): got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func BenchmarkAllow(b *testing.B) {
	rdb := testRedis(b)
	l := New(rdb, testPrefix(b, rdb), nil)
	lim := PerSecond(1_000_000_000)
	ctx := context.Background()
	for b.Loop() {
		l.Allow(ctx, "bench", lim)
	}
	if l.Degraded() {
		b.Errorf("got Degraded true, want the Redis path")
	}
}
