// Package metrics exposes minyi's Prometheus metrics.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds minyi's collectors on a registry of its own; nothing is registered
// with the Prometheus default registry. Build it with New, once per process.
//
// A nil *Metrics records nothing, so code and tests that don't care about metrics
// need not build one.
type Metrics struct {
	registry    *prometheus.Registry
	handler     http.Handler
	duration    *prometheus.HistogramVec
	inFlight    prometheus.Gauge
	submissions *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	batchSize   prometheus.Histogram
	batchTime   prometheus.Histogram
	foldSize    prometheus.Histogram // registered by WatchFold
	foldTime    prometheus.Histogram
}

// New returns metrics registered on a fresh registry, together with the Go runtime
// and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	// 1 ms to 5 s: the range of a request or of a database batch.
	durationBuckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	m := &Metrics{
		registry: reg,
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "minyi_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by method, route pattern and status.",
			Buckets: durationBuckets,
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "minyi_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minyi_submissions_total",
			Help: "Survey submissions, by channel and outcome.",
		}, []string{"channel", "outcome"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minyi_rate_limited_total",
			Help: "Requests refused by a rate limit, by limit.",
		}, []string{"limit"}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "minyi_submit_batch_size",
			Help:    "Submissions written per group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10), // 1 to 512
		}),
		batchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "minyi_submit_batch_duration_seconds",
			Help:    "Time to write one group commit of submissions.",
			Buckets: durationBuckets,
		}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.duration, m.inFlight, m.submissions, m.rateLimited, m.batchSize, m.batchTime,
	)
	// The limits minyi has start at zero, so rate() works from the first scrape.
	for _, limit := range []string{"ip", "form", "token"} {
		m.rateLimited.WithLabelValues(limit)
	}
	m.handler = promhttp.InstrumentMetricHandler(reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:          reg,
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
	}))
	return m
}

// Handler serves the registry in the Prometheus text format, or in OpenMetrics when
// the scraper asks for it. Mount it at /metrics.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return m.handler
}

// Submission counts one submission through channel (qr, volunteer, paper) with its
// outcome: created, replayed, invalid, duplicate_device, conflict, rate_limited,
// round_closed, not_found, unavailable or error. Both must come from a fixed set
// of constants, never from user input, to keep the number of series bounded.
func (m *Metrics) Submission(channel, outcome string) {
	if m == nil {
		return
	}
	m.submissions.WithLabelValues(channel, outcome).Inc()
}

// RateLimited counts one request refused by limit: ip, form or token.
func (m *Metrics) RateLimited(limit string) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(limit).Inc()
}

// ObserveBatch records one group commit that wrote n submissions in d.
func (m *Metrics) ObserveBatch(n int, d time.Duration) {
	if m == nil {
		return
	}
	m.batchSize.Observe(float64(n))
	m.batchTime.Observe(d.Seconds())
}

// WatchRedisFallback exports minyi_redis_fallback, 1 while degraded reports true
// (rate limits are decided in-process because Redis is unreachable) and 0
// otherwise. degraded is called at each scrape and must be safe for concurrent use;
// pass the limiter's Degraded method. It panics if called twice.
func (m *Metrics) WatchRedisFallback(degraded func() bool) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "minyi_redis_fallback",
		Help: "1 while rate limits use the in-process fallback because Redis is unreachable.",
	}, func() float64 {
		if degraded() {
			return 1
		}
		return 0
	}))
}
