package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// FoldQueue is what the counting queue looked like when last measured.
type FoldQueue struct {
	Backlog int       // responses waiting to be counted
	Oldest  time.Time // when the oldest of them was stored; zero when none wait
}

// WatchFold exports the counting queue that queue describes, calling it once per
// scrape (it must be safe for concurrent use and should not ask the database):
// minyi_fold_backlog, the responses waiting, and minyi_fold_oldest_seconds, the age of
// the oldest of them (0 when none wait), which keeps growing while counting is stuck.
// It also registers the fold batch histograms ObserveFold records. It panics if called
// twice.
func (m *Metrics) WatchFold(queue func() FoldQueue) {
	if m == nil {
		return
	}
	m.foldSize = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "minyi_fold_batch_size",
		Help:    "Responses taken off the counting queue per fold batch.",
		Buckets: prometheus.ExponentialBuckets(1, 4, 10), // 1 to 262,144
	})
	m.foldTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "minyi_fold_batch_duration_seconds",
		Help:    "Time to count one fold batch, from taking it to its commit.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
	m.registry.MustRegister(m.foldSize, m.foldTime,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "minyi_fold_backlog",
			Help: "Responses stored and waiting to be counted (or taken out after review).",
		}, func() float64 { return float64(queue().Backlog) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "minyi_fold_oldest_seconds",
			Help: "Age of the oldest response waiting to be counted; 0 when none waits.",
		}, func() float64 {
			q := queue()
			if q.Oldest.IsZero() || q.Backlog == 0 {
				return 0
			}
			return max(time.Since(q.Oldest).Seconds(), 0)
		}),
	)
}

// ObserveFold records one fold batch that took n responses off the queue in d.
func (m *Metrics) ObserveFold(n int, d time.Duration) {
	if m == nil || m.foldSize == nil {
		return
	}
	m.foldSize.Observe(float64(n))
	m.foldTime.Observe(d.Seconds())
}
