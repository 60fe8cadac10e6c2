package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// benchEnv is a minyi server of its own, on a database of its own, loaded with the demo.
type benchEnv struct {
	o       options
	dbName  string
	dbURL   string
	pool    *pgxpool.Pool
	baseURL string
	metrics string // the metrics listener, http://127.0.0.1:PORT
	token   string
	server  *exec.Cmd
	client  *http.Client
	spread  []string // the communities submissions go to; nil: the demo's
}

func newBenchEnv(ctx context.Context, o options) (*benchEnv, error) {
	b := make([]byte, 4)
	rand.Read(b)
	e := &benchEnv{o: o, dbName: "minyi_bench_" + hex.EncodeToString(b)}
	if err := adminExec(ctx, o.adminURL, "CREATE DATABASE "+e.dbName); err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(o.adminURL)
	if err != nil {
		return nil, err
	}
	e.dbURL = fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, e.dbName)
	if e.pool, err = pgxpool.New(ctx, e.dbURL); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	e.baseURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	mport, err := freePort()
	if err != nil {
		return nil, err
	}
	e.metrics = fmt.Sprintf("http://127.0.0.1:%d", mport)
	if _, err := e.minyi(ctx, "demo", "setup"); err != nil {
		return nil, err
	}
	out, err := e.minyi(ctx, "token", "create", "--user", "admin", "--name", "bench")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	e.token = lines[len(lines)-1]
	e.server = exec.Command(o.minyi, "serve")
	e.server.Env = e.environ(port)
	e.server.Stdout, e.server.Stderr = os.Stderr, nil // request logs are not wanted
	if err := e.server.Start(); err != nil {
		return nil, err
	}
	e.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2048, MaxIdleConnsPerHost: 2048, IdleConnTimeout: time.Minute,
	}}
	for i := 0; ; i++ {
		res, err := e.client.Get(e.baseURL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return e, nil
			}
		}
		if i > 100 {
			e.close()
			return nil, fmt.Errorf("minyi serve did not become ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// environ is the server's environment: limits are raised because every simulated
// resident comes from 127.0.0.1, but each request still goes through them in Redis.
func (e *benchEnv) environ(port int) []string {
	return append(os.Environ(),
		"DATABASE_URL="+e.dbURL,
		"REDIS_URL="+e.o.redisURL,
		"MINYI_REDIS_PREFIX=bench:"+e.dbName+":",
		"MINYI_SECRET=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		fmt.Sprintf("MINYI_ADDR=127.0.0.1:%d", port),
		"MINYI_METRICS_ADDR="+strings.TrimPrefix(e.metrics, "http://"),
		"MINYI_BASE_URL="+e.baseURL,
		"MINYI_LIMIT_PER_IP=100000000",
		"MINYI_LIMIT_PER_FORM=100000000",
		"MINYI_LIMIT_PER_USER=100000000",
		// Every simulated resident opens the form and posts at once, all from
		// 127.0.0.1: the too_fast and net_burst checks still run, but flag nothing.
		"MINYI_MIN_FILL=0s",
		"MINYI_FLAG_PER_NET=100000000",
	)
}

func (e *benchEnv) minyi(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, e.o.minyi, args...)
	// Importing 20,000 areas takes longer than a request's deadline.
	cmd.Env = append(e.environ(0), "MINYI_DB_TIMEOUT=10m")
	cmd.Stdin = strings.NewReader("bench-password\n") // the demo accounts' password
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("minyi %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

// serverRSS reads the server's resident set size now and at its peak, in bytes.
func (e *benchEnv) serverRSS() (now, peak int64) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.server.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "VmRSS: %d kB", &kb); err == nil {
			now = kb << 10
		}
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			peak = kb << 10
		}
	}
	return now, peak
}

func (e *benchEnv) close() {
	if e.server != nil && e.server.Process != nil {
		e.server.Process.Signal(syscall.SIGTERM)
		e.server.Wait()
	}
	if e.pool != nil {
		e.pool.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	adminExec(ctx, e.o.adminURL, "DROP DATABASE IF EXISTS "+e.dbName+" WITH (FORCE)")
}

func adminExec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
