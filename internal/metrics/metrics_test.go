package metrics

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches Handler's output as Prometheus does and parses it; a body that is
// not valid text format fails the test.
func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: got status %v, want %v", rec.Code, http.StatusOK)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("scrape: got %v, want valid text format", err)
	}
	return mfs
}

// value returns the value of the series of family name whose labels are labels:
// a counter's or gauge's value, or a histogram's sample count.
func value(mfs map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	for _, m := range mfs[name].GetMetric() {
		match := len(m.GetLabel()) == len(labels)
		for _, l := range m.GetLabel() {
			match = match && labels[l.GetName()] == l.GetValue()
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMiddleware(t *testing.T) {
	m := New()
	e := echo.New()
	e.Use(m.Middleware())
	e.GET("/s/:survey/:area", func(c echo.Context) error {
		// The body reports the in-flight gauge while this request is being served.
		return c.String(http.StatusOK, strconv.FormatFloat(testutil.ToFloat64(m.inFlight), 'f', -1, 64))
	})
	e.POST("/s/:survey/:area", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusUnprocessableEntity)
	})
	e.GET("/healthz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	srv := httptest.NewServer(e)
	defer srv.Close()

	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/s/shequ-1/a01", http.StatusOK},
		{http.MethodGet, "/s/shequ-2/a02", http.StatusOK},
		{http.MethodPost, "/s/shequ-1/a01", http.StatusUnprocessableEntity},
		{http.MethodGet, "/nope/at/all", http.StatusNotFound},
		{http.MethodGet, "/healthz", http.StatusOK},
		{"BREW", "/healthz", http.StatusMethodNotAllowed},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: got status %v, want %v", tc.method, tc.path, res.StatusCode, tc.status)
		}
		if tc.method == http.MethodGet && tc.status == http.StatusOK && strings.HasPrefix(tc.path, "/s/") && string(body) != "1" {
			t.Errorf("%s %s: got in-flight %v during the request, want 1", tc.method, tc.path, string(body))
		}
	}

	mfs := scrape(t, m)
	for _, tc := range []struct {
		method, route, status string
		count                 float64
	}{
		{"GET", "/s/:survey/:area", "200", 2},
		{"POST", "/s/:survey/:area", "422", 1},
		{"GET", "unmatched", "404", 1},
		{"GET", "/healthz", "200", 1},
		{"other", "/healthz", "405", 1},
	} {
		labels := map[string]string{"method": tc.method, "route": tc.route, "status": tc.status}
		got, _ := value(mfs, "minyi_http_request_duration_seconds", labels)
		if got != tc.count {
			t.Errorf("requests %v: got %v, want %v", labels, got, tc.count)
		}
	}
	if got, want := len(mfs["minyi_http_request_duration_seconds"].GetMetric()), 5; got != want {
		t.Errorf("got %v series, want %v (no concrete URLs as routes)", got, want)
	}
	if got, _ := value(mfs, "minyi_http_requests_in_flight", nil); got != 0 {
		t.Errorf("in flight after the requests: got %v, want %v", got, 0)
	}
}

func TestCounters(t *testing.T) {
	m := New()
	m.Submission("qr", "created")
	m.Submission("qr", "created")
	m.Submission("volunteer", "invalid")
	m.RateLimited("form")
	m.RateLimited("form")
	m.RateLimited("form")
	m.ObserveBatch(8, 3*time.Millisecond)
	m.ObserveBatch(1, time.Millisecond)

	mfs := scrape(t, m)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"minyi_submissions_total", map[string]string{"channel": "qr", "outcome": "created"}, 2},
		{"minyi_submissions_total", map[string]string{"channel": "volunteer", "outcome": "invalid"}, 1},
		{"minyi_rate_limited_total", map[string]string{"limit": "form"}, 3},
		{"minyi_rate_limited_total", map[string]string{"limit": "ip"}, 0},
		{"minyi_submit_batch_size", nil, 2},
		{"minyi_submit_batch_duration_seconds", nil, 2},
	} {
		got, ok := value(mfs, tc.name, tc.labels)
		if !ok || got != tc.want {
			t.Errorf("%s%v: got %v (present %v), want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
	if got, want := mfs["minyi_submit_batch_size"].GetMetric()[0].GetHistogram().GetSampleSum(), 9.0; got != want {
		t.Errorf("batch size sum: got %v, want %v", got, want)
	}
}

func TestRedisFallback(t *testing.T) {
	m := New()
	var degraded atomic.Bool
	m.WatchRedisFallback(degraded.Load)
	for _, tc := range []struct {
		degraded bool
		want     float64
	}{
		{false, 0},
		{true, 1},
		{false, 0},
	} {
		degraded.Store(tc.degraded)
		if got, _ := value(scrape(t, m), "minyi_redis_fallback", nil); got != tc.want {
			t.Errorf("degraded %v: got %v, want %v", tc.degraded, got, tc.want)
		}
	}
}

func TestDBPool(t *testing.T) {
	m := New()
	stats := PoolStats{Acquired: 3, Idle: 2, Total: 5, Max: 10,
		AcquireCount: 120, EmptyAcquire: 7, CanceledAcquire: 1, AcquireDuration: 1500 * time.Millisecond}
	var calls atomic.Int32
	m.WatchDBPool(func() PoolStats { calls.Add(1); return stats })

	mfs := scrape(t, m)
	for _, tc := range []struct {
		name string
		kind dto.MetricType
		want float64
	}{
		{"minyi_db_pool_acquired_conns", dto.MetricType_GAUGE, 3},
		{"minyi_db_pool_idle_conns", dto.MetricType_GAUGE, 2},
		{"minyi_db_pool_total_conns", dto.MetricType_GAUGE, 5},
		{"minyi_db_pool_max_conns", dto.MetricType_GAUGE, 10},
		{"minyi_db_pool_acquire_count_total", dto.MetricType_COUNTER, 120},
		{"minyi_db_pool_acquire_duration_seconds_total", dto.MetricType_COUNTER, 1.5},
		{"minyi_db_pool_empty_acquire_count_total", dto.MetricType_COUNTER, 7},
		{"minyi_db_pool_canceled_acquire_count_total", dto.MetricType_COUNTER, 1},
	} {
		got, _ := value(mfs, tc.name, nil)
		if got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		if got := mfs[tc.name].GetType(); got != tc.kind {
			t.Errorf("%s type: got %v, want %v", tc.name, got, tc.kind)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("stats calls per scrape: got %v, want %v", got, 1)
	}
}

func TestPoolStatsFrom(t *testing.T) {
	// pgxpool connects lazily: a pool on a closed port has stats without a server.
	cfg, err := pgxpool.ParseConfig("postgres://minyi@127.0.0.1:1/minyi?pool_max_conns=7&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := pool.Acquire(ctx); err == nil {
		t.Fatalf("acquire with a canceled context: got nil error, want one")
	}
	got := PoolStatsFrom(pool.Stat())
	if want := (PoolStats{Max: 7, CanceledAcquire: 1}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestHandlerFormat(t *testing.T) {
	m := New()
	for _, tc := range []struct {
		accept, mediaType, version, end string
	}{
		{"", "text/plain", "0.0.4", "\n"},
		{"text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "text/plain", "0.0.4", "\n"},
		{"application/openmetrics-text;version=1.0.0", "application/openmetrics-text", "1.0.0", "# EOF\n"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, req)
		ct := rec.Header().Get("Content-Type")
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || mt != tc.mediaType || params["version"] != tc.version {
			t.Errorf("Accept %q: got Content-Type %v, want %v; version=%v", tc.accept, ct, tc.mediaType, tc.version)
		}
		body := rec.Body.String()
		if !strings.HasSuffix(body, tc.end) || !strings.Contains(body, "\ngo_goroutines ") {
			t.Errorf("Accept %q: got body ending %q, want %q and go_goroutines", tc.accept, body[max(0, len(body)-20):], tc.end)
		}
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "minyi_http_requests_in_flight"} {
		if _, ok := scrape(t, m)[name]; !ok {
			t.Errorf("got no %v, want it", name)
		}
	}
	problems, err := testutil.GatherAndLint(m.registry)
	if err != nil || len(problems) != 0 {
		t.Errorf("lint: got %v, %v, want none", problems, err)
	}
}

func TestNil(t *testing.T) {
	var m *Metrics
	m.Submission("qr", "created")
	m.RateLimited("ip")
	m.ObserveBatch(1, time.Millisecond)
	m.WatchRedisFallback(func() bool { return true })
	m.WatchDBPool(func() PoolStats { return PoolStats{} })
	e := echo.New()
	e.Use(m.Middleware())
	e.GET("/", func(c echo.Context) error { return c.NoContent(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("got %v, want %v", rec.Code, http.StatusTeapot)
	}
}
