package main

import (
	"context"
	"slices"
	"sync"
	"time"
)

// result is what one closed-loop run measured.
type result struct {
	Concurrency int
	Elapsed     time.Duration
	Requests    int
	OK          int // requests whose status was the one wanted
	Errors      int // transport errors and unexpected statuses
	Bytes       int64
	Latencies   []time.Duration // of every request, sorted
	Statuses    map[int]int
	// Batches are the server's group commits during the run (submissions only).
	Batches batchStats
	// Percentiles, when set, are the latencies a run measured elsewhere (wrk) reported.
	Percentiles map[float64]time.Duration
}

func (r result) perSecond(n int) float64 { return float64(n) / r.Elapsed.Seconds() }

// pct returns the p-th percentile latency (0 < p ≤ 100).
func (r result) pct(p float64) time.Duration {
	if d, ok := r.Percentiles[p]; ok {
		return d
	}
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*p/100+0.5) - 1
	return r.Latencies[max(0, min(i, len(r.Latencies)-1))]
}

// op performs one request; worker and seq identify it. It returns the HTTP status
// (0 for a transport error) and the bytes received.
type op func(ctx context.Context, worker, seq int) (status int, bytes int64)

// closedLoop runs concurrency workers, each issuing requests back to back, for d or
// until limit requests were made in all (limit 0: no limit). want is the status
// counted as OK. Requests in flight at the end are waited for, not cancelled, so that
// every request made is counted.
func closedLoop(ctx context.Context, concurrency int, d time.Duration, limit int, want int, do op) result {
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	res := result{Concurrency: concurrency, Statuses: map[int]int{}}
	var issued int
	var wg sync.WaitGroup
	start := time.Now()
	for w := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			statuses := map[int]int{}
			var bytes int64
			for seq := 0; time.Now().Before(deadline) && ctx.Err() == nil; seq++ {
				mu.Lock()
				if limit > 0 && issued >= limit {
					mu.Unlock()
					break
				}
				issued++
				mu.Unlock()
				t0 := time.Now()
				status, n := do(ctx, w, seq)
				lat = append(lat, time.Since(t0))
				statuses[status]++
				bytes += n
			}
			mu.Lock()
			res.Latencies = append(res.Latencies, lat...)
			for s, n := range statuses {
				res.Statuses[s] += n
			}
			res.Bytes += bytes
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.Latencies)
	res.Requests = len(res.Latencies)
	for s, n := range res.Statuses {
		if s == want {
			res.OK += n
		} else {
			res.Errors += n
		}
	}
	return res
}
