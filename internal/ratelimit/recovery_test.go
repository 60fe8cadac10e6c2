package ratelimit

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"minyi/internal/testenv"
)

// redisServer runs a throwaway redis-server on a loopback port.
type redisServer struct {
	t    *testing.T
	bin  string
	port int
	cmd  *exec.Cmd
}

// newRedisServer finds redis-server and a free loopback port. Without the binary the
// test is skipped, or fails when MINYI_REQUIRE_SERVICES=1.
func newRedisServer(t *testing.T) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.Missing(t, "redis-server not found: "+err.Error())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &redisServer{t: t, bin: bin, port: port}
	t.Cleanup(s.stop)
	return s
}

func (s *redisServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// start runs redis-server and waits until it answers PING.
func (s *redisServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.t.TempDir())
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
	defer rdb.Close()
	for range 100 {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("redis-server on %s did not answer PING", s.addr())
}

// stop kills redis-server, if running, and waits for it to exit.
func (s *redisServer) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

func TestAllowRecovers(t *testing.T) {
	srv := newRedisServer(t)
	srv.start()
	rdb := redis.NewClient(&redis.Options{Addr: srv.addr(), ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	log, logs := newLogger()
	l := New(rdb, "recover:", log, WithTimeout(time.Second))
	ctx := t.Context()
	lim := PerMinute(2)

	// stored reports whether Redis holds state for key, i.e. Redis made the decision.
	stored := func(key string) bool {
		t.Helper()
		n, err := rdb.Exists(ctx, "rate:recover:"+key).Result()
		if err != nil {
			t.Fatalf("exists %s: %v", key, err)
		}
		return n == 1
	}

	if d := l.Allow(ctx, "before", lim); !d.Allowed || l.Degraded() || !stored("before") {
		t.Fatalf("Redis up: got %+v, Degraded %v, want allowed by Redis", d, l.Degraded())
	}

	srv.stop()
	checkBurst(t, l, "during", lim)
	if !l.Degraded() {
		t.Fatalf("Redis down: got Degraded false, want true")
	}

	srv.start()
	// go-redis reconnects on its own; the first call may still meet a dead pooled conn.
	for i := 0; l.Degraded() && i < 50; i++ {
		l.Allow(ctx, "probe", lim)
		time.Sleep(20 * time.Millisecond)
	}
	if l.Degraded() {
		t.Fatalf("Redis back: got Degraded true, want false")
	}
	// The restarted Redis is empty, so "during" gets a fresh burst there, and the
	// decisions leave state in Redis.
	checkBurst(t, l, "during", lim)
	if !stored("during") {
		t.Errorf("got no Redis state for key, want Redis-backed decisions")
	}
	if l.Degraded() {
		t.Errorf("got Degraded true, want false")
	}
	if n := l.local.size(); n != 0 {
		t.Errorf("got %d in-process limiters after recovery, want 0", n)
	}
	if w, i := logs.count("level=WARN"), logs.count("level=INFO"); w != 1 || i != 1 {
		t.Errorf("got %d warnings and %d infos, want 1 and 1", w, i)
	}
}
