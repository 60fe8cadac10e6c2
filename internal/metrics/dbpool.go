package metrics

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// PoolStats is a snapshot of a database connection pool, the figures
// minyi_db_pool_* export. Build one from a pgxpool with PoolStatsFrom.
type PoolStats struct {
	Acquired, Idle, Total, Max int32
	AcquireCount               int64         // successful acquires since the pool was made
	EmptyAcquire               int64         // successful acquires that waited because none was idle
	CanceledAcquire            int64         // acquires given up because their context ended
	AcquireDuration            time.Duration // total time spent in successful acquires
}

// PoolStatsFrom copies the figures PoolStats holds out of a pgxpool.Stat.
func PoolStatsFrom(s *pgxpool.Stat) PoolStats {
	return PoolStats{
		Acquired:        s.AcquiredConns(),
		Idle:            s.IdleConns(),
		Total:           s.TotalConns(),
		Max:             s.MaxConns(),
		AcquireCount:    s.AcquireCount(),
		EmptyAcquire:    s.EmptyAcquireCount(),
		CanceledAcquire: s.CanceledAcquireCount(),
		AcquireDuration: s.AcquireDuration(),
	}
}

// WatchDBPool exports the pool that stats describes, calling stats once per
// scrape. stats must be safe for concurrent use. With a *pgxpool.Pool:
//
//	m.WatchDBPool(func() metrics.PoolStats { return metrics.PoolStatsFrom(pool.Stat()) })
//
// It panics if called twice.
func (m *Metrics) WatchDBPool(stats func() PoolStats) {
	if m == nil {
		return
	}
	m.registry.MustRegister(newPoolCollector(stats))
}

// poolMetric is one figure of PoolStats as a Prometheus metric.
type poolMetric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(PoolStats) float64
}

// poolCollector turns a PoolStats snapshot into metrics at scrape time, so the
// figures are never stale and nothing polls the pool between scrapes.
type poolCollector struct {
	stats   func() PoolStats
	metrics []poolMetric
}

func newPoolCollector(stats func() PoolStats) *poolCollector {
	m := func(name, help string, kind prometheus.ValueType, value func(PoolStats) float64) poolMetric {
		return poolMetric{prometheus.NewDesc("minyi_db_pool_"+name, help, nil, nil), kind, value}
	}
	gauge, counter := prometheus.GaugeValue, prometheus.CounterValue
	return &poolCollector{stats: stats, metrics: []poolMetric{
		m("acquired_conns", "Connections in use.", gauge,
			func(s PoolStats) float64 { return float64(s.Acquired) }),
		m("idle_conns", "Connections open and idle.", gauge,
			func(s PoolStats) float64 { return float64(s.Idle) }),
		m("total_conns", "Connections open, in use, idle or being made.", gauge,
			func(s PoolStats) float64 { return float64(s.Total) }),
		m("max_conns", "Most connections the pool may open.", gauge,
			func(s PoolStats) float64 { return float64(s.Max) }),
		m("acquire_count_total", "Successful connection acquires.", counter,
			func(s PoolStats) float64 { return float64(s.AcquireCount) }),
		m("acquire_duration_seconds_total", "Time spent in successful connection acquires.", counter,
			func(s PoolStats) float64 { return s.AcquireDuration.Seconds() }),
		m("empty_acquire_count_total", "Successful acquires that waited because no connection was idle.", counter,
			func(s PoolStats) float64 { return float64(s.EmptyAcquire) }),
		m("canceled_acquire_count_total", "Acquires canceled by their context.", counter,
			func(s PoolStats) float64 { return float64(s.CanceledAcquire) }),
	}}
}

// Describe implements prometheus.Collector.
func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, pm := range p.metrics {
		ch <- pm.desc
	}
}

// Collect implements prometheus.Collector.
func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.stats()
	for _, pm := range p.metrics {
		ch <- prometheus.MustNewConstMetric(pm.desc, pm.kind, pm.value(s))
	}
}
