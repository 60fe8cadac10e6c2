package main

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
)

// batchStats is what the server's /metrics says of its group commits so far.
type batchStats struct {
	Commits     float64 // transactions
	Submissions float64 // submissions written in them
	Seconds     float64 // time spent writing them
}

// batches reads the group-commit histograms' sums and counts from /metrics.
func (e *benchEnv) batches(ctx context.Context) (batchStats, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", e.metrics+"/metrics", nil)
	res, err := e.client.Do(req)
	if err != nil {
		return batchStats{}, err
	}
	defer res.Body.Close()
	var s batchStats
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, _ := strconv.ParseFloat(value, 64)
		switch name {
		case "minyi_submit_batch_size_count":
			s.Commits = v
		case "minyi_submit_batch_size_sum":
			s.Submissions = v
		case "minyi_submit_batch_duration_seconds_sum":
			s.Seconds = v
		}
	}
	return s, sc.Err()
}

// since is what happened between before and s.
func (s batchStats) since(before batchStats) batchStats {
	return batchStats{s.Commits - before.Commits, s.Submissions - before.Submissions, s.Seconds - before.Seconds}
}
