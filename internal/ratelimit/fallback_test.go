package ratelimit

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestAllowRedisDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t), ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	log, logs := newLogger()
	l := New(rdb, "down:", log)
	// Each call spends up to the timeout on Redis; a fixed clock keeps that from
	// refilling the in-process buckets mid-burst.
	fixed := time.Now()
	l.now = func() time.Time { return fixed }
	for _, tc := range burstCases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			checkBurst(t, l, tc.name, tc.lim)
			if !l.Degraded() {
				t.Errorf("got Degraded false, want true")
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v, want each call bounded by the timeout", took)
			}
		})
	}
	if n := logs.count("level=WARN"); n != 1 {
		t.Errorf("got %d warnings, want 1 on the transition only", n)
	}
}

func TestAllowRedisHangs(t *testing.T) {
	// A server that accepts connections and never answers: only the deadline ends the call.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close(); conns.Wait() })
	conns.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Go(func() { <-done; c.Close() })
		}
	})
	rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	l := New(rdb, "hang:", nil, WithTimeout(100*time.Millisecond))
	for i := range 3 {
		start := time.Now()
		d := l.Allow(t.Context(), "k", PerMinute(2))
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("request %d took %v, want about the 100ms timeout", i+1, took)
		}
		if want := i < 2; d.Allowed != want {
			t.Errorf("request %d: got Allowed %v, want %v", i+1, d.Allowed, want)
		}
	}
	if !l.Degraded() {
		t.Errorf("got Degraded false, want true")
	}
}

func TestAllowInvalidLimit(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t)})
	t.Cleanup(func() { rdb.Close() })
	l := New(rdb, "invalid:", nil)
	for _, lim := range []Limit{{}, {Rate: 1}, {Period: time.Second}, {Rate: -1, Period: time.Second}} {
		for range 3 {
			if d := l.Allow(t.Context(), "k", lim); !d.Allowed {
				t.Errorf("Limit %+v: got %+v, want allowed", lim, d)
			}
		}
	}
}

func TestNewWarnsWithoutContextTimeout(t *testing.T) {
	for _, tc := range []struct {
		enabled bool
		want    int
	}{
		{true, 0},
		{false, 1},
	} {
		rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t), ContextTimeoutEnabled: tc.enabled})
		t.Cleanup(func() { rdb.Close() })
		log, logs := newLogger()
		New(rdb, "warn:", log)
		if got := logs.count("ContextTimeoutEnabled"); got != tc.want {
			t.Errorf("ContextTimeoutEnabled %v: got %d warnings, want %d", tc.enabled, got, tc.want)
		}
	}
}

func TestLocalBounded(t *testing.T) {
	s := newLocal(100)
	now := time.Now()
	for i := range 10_000 {
		s.allowN(fmt.Sprint("k", i), PerMinute(5), 1, now)
		if n := s.size(); n > 100 {
			t.Fatalf("after %d keys: got %d limiters, want at most 100", i+1, n)
		}
	}
	// A key in use keeps its state through a sweep that frees refilled buckets.
	s = newLocal(10)
	for range 3 {
		s.allowN("busy", PerHour(3), 1, now)
	}
	for i := range 20 {
		s.allowN(fmt.Sprint("idle", i), PerSecond(1), 1, now.Add(time.Duration(i)*time.Second))
	}
	if d := s.allowN("busy", PerHour(3), 1, now.Add(20*time.Second)); d.Allowed {
		t.Errorf("busy key: got allowed, want refused after its burst")
	}
}
