package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"minyi/internal/testenv"
)

// freeAddr is a loopback address that nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeMetricsListener serves minyi and scrapes its metrics on the metrics
// listener; the public listener has none, and both close when the service stops.
func TestServeMetricsListener(t *testing.T) {
	_, prefix := testenv.Redis(t) // skips without a test Redis
	commandEnv(t)
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	t.Setenv("MINYI_ADDR", addr)
	t.Setenv("MINYI_METRICS_ADDR", metricsAddr)
	t.Setenv("REDIS_URL", os.Getenv("TEST_REDIS_URL"))
	t.Setenv("MINYI_REDIS_PREFIX", prefix)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := newApp(ctx, strings.NewReader(""), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.pool.Close()
	done := make(chan error, 1)
	go func() { done <- cmdServe(ctx, a, nil) }()

	get := func(url string) (int, string, error) {
		res, err := http.Get(url)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, string(b), err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _, err := get("http://" + addr + "/healthz"); err == nil && code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("minyi serve did not answer /healthz")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, tc := range []struct {
		url    string
		status int
		want   string
	}{
		{"http://" + metricsAddr + "/metrics", 200, `minyi_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}`},
		{"http://" + addr + "/metrics", 404, "页面不存在"},
		{"http://" + metricsAddr + "/healthz", 404, ""},
	} {
		code, body, err := get(tc.url)
		if err != nil || code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: got %d %v %.200s, want %d with %q", tc.url, code, err, body, tc.status, tc.want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: got %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, _, err := get("http://" + metricsAddr + "/metrics"); err == nil {
		t.Error("the metrics listener still answers after the service stopped")
	}
}
