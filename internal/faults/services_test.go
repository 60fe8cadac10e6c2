//go:build linux

package faults

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// services is one test's own PostgreSQL cluster and Redis server, run from dir by
// scripts/services.sh on loopback ports.
type services struct {
	dir                 string
	pgPort, redisPort   int
	databaseURL, redURL string
}

// startServices starts a PostgreSQL cluster and a Redis server in a directory of their
// own under /tmp (every directory down to a cluster must be enterable by the postgres
// user, and t.TempDir's are not), and stops and deletes them when the test ends. fast
// turns off fsync and Redis persistence, as for the shared test servers.
func startServices(t *testing.T, fast bool) *services {
	t.Helper()
	requireServers(t)
	dir, err := os.MkdirTemp("/tmp", "minyi-faults-")
	if err != nil {
		t.Fatal(err)
	}
	s := &services{dir: dir}
	t.Cleanup(func() {
		if out, err := s.script("stop"); err != nil {
			t.Errorf("services.sh stop: %v\n%s", err, out)
		}
		os.RemoveAll(dir)
	})
	// Another package's test may take a port between our probe and the servers'
	// start: services.sh then refuses, and we try other ports.
	for attempt := 0; ; attempt++ {
		s.pgPort, s.redisPort = freePort(t), freePort(t)
		env := "FAST=0"
		if fast {
			env = "FAST=1"
		}
		out, err := s.scriptEnv([]string{env}, "start")
		if err == nil {
			break
		}
		if attempt == 2 || !strings.Contains(out, "is taken") {
			t.Fatalf("services.sh start: %v\n%s", err, out)
		}
	}
	s.databaseURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.pgPort)
	s.redURL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.redisPort)
	return s
}

// script runs services.sh CMD DIR PGPORT REDISPORT and returns its combined output.
func (s *services) script(cmd string) (string, error) { return s.scriptEnv(nil, cmd) }

func (s *services) scriptEnv(env []string, cmd string) (string, error) {
	args := []string{cmd, s.dir}
	if cmd == "start" {
		args = append(args, strconv.Itoa(s.pgPort), strconv.Itoa(s.redisPort))
	}
	out, err := output(90*time.Second, append(os.Environ(), env...), servicesPath, args...)
	return string(out), err
}

// output runs a command from /, kills it if it runs longer than limit, and returns
// its combined output. A nil env is ours.
func output(limit time.Duration, env []string, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	c := exec.CommandContext(ctx, name, args...)
	c.Env, c.Dir, c.WaitDelay = env, "/", 5*time.Second
	return c.CombinedOutput()
}

// restart starts whichever of the two servers is not running, on its old port, and
// waits until both answer.
func (s *services) restart(t *testing.T) {
	t.Helper()
	if out, err := s.script("start"); err != nil {
		t.Fatalf("services.sh start (restart): %v\n%s", err, out)
	}
}

// killRedis sends SIGKILL to the Redis server and waits until it is gone.
func (s *services) killRedis(t *testing.T) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(s.dir, "redis", "redis.pid"))
	if err != nil {
		t.Fatalf("redis pid file: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || pid <= 1 {
		t.Fatalf("redis pid file holds %q", raw)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill redis %d: %v", pid, err)
	}
	waitFor(t, 10*time.Second, "redis-server to die", func() bool { return !alive(pid) })
}

// stopPostgres stops the cluster as an operator would: pg_ctl stop -m fast, as the
// postgres user when we are root (as services.sh runs it).
func (s *services) stopPostgres(t *testing.T) {
	t.Helper()
	args := []string{filepath.Join(pgBin, "pg_ctl"), "-D", filepath.Join(s.dir, "pg"), "-m", "fast", "-w", "-t", "60", "stop"}
	if os.Geteuid() == 0 {
		args = append([]string{"runuser", "-u", "postgres", "--"}, args...)
	}
	if out, err := output(90*time.Second, nil, args[0], args[1:]...); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// pgTool runs one of PostgreSQL's client programs (pg_dump, pg_restore) against the
// cluster over TCP.
func (s *services) pgTool(t *testing.T, name string, args ...string) {
	t.Helper()
	args = append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.pgPort), "-U", "postgres"}, args...)
	if out, err := output(2*time.Minute, nil, filepath.Join(pgBin, name), args...); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// alive reports whether process pid runs and is not a zombie (pid 1 in a container
// does not always reap the daemons it inherits).
func alive(pid int) bool {
	f, err := os.Open(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	if i := strings.LastIndexByte(line, ')'); i >= 0 && len(line) > i+2 {
		return line[i+2] != 'Z' && line[i+2] != 'X'
	}
	return false
}

// freePort returns a loopback TCP port that nothing listened on a moment ago and
// that it did not return before. It is below the ephemeral range, so that no outgoing
// connection of the load can hold it when a server restarts on it.
func freePort(t *testing.T) int {
	t.Helper()
	low := 32768
	if raw, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(raw)); len(f) == 2 {
			low, _ = strconv.Atoi(f[0])
		}
	}
	ports.Lock()
	defer ports.Unlock()
	for range 200 {
		p := 0 // the kernel's choice, if the range leaves no room below
		if low > 11000 {
			p = 10000 + rand.IntN(low-10000)
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		p = l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !ports.given[p] {
			ports.given[p] = true
			return p
		}
	}
	t.Fatal("no free port")
	return 0
}

var ports = struct {
	sync.Mutex
	given map[int]bool
}{given: map[int]bool{}}

// waitFor polls cond every 20 ms until it holds, failing the test after limit.
// It returns how long that took.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}
