package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

//go:embed lua/form.lua
var formScript []byte

// wrkSummary is the line lua/form.lua prints when wrk is done.
type wrkSummary struct {
	Requests        int   `json:"requests"`
	DurationUS      int64 `json:"duration_us"`
	TransportErrors int   `json:"transport_errors"`
	StatusErrors    int   `json:"status_errors"`
	P50US           int64 `json:"p50_us"`
	P99US           int64 `json:"p99_us"`
}

// formPage loads the resident form as phones do (gzip accepted, no cookie) with wrk,
// from Debian's package: a load generator in C leaves the cores to the server. The
// page's size is read from one request of ours.
func (e *benchEnv) formPage(ctx context.Context, concurrency int, d time.Duration) (result, error) {
	dir, err := os.MkdirTemp("", "minyi-wrk")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "form.lua")
	if err := os.WriteFile(script, formScript, 0o644); err != nil {
		return result{}, err
	}
	args := []string{"-t2", "-c" + strconv.Itoa(concurrency), "-d" + strconv.Itoa(int(d.Seconds())) + "s",
		"-s", script, e.baseURL, "--"}
	out, err := exec.CommandContext(ctx, e.o.wrk, append(args, communities...)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	var s wrkSummary
	if i := bytes.LastIndex(out, []byte(`{"requests"`)); i < 0 {
		return result{}, fmt.Errorf("wrk printed no summary: %s", out)
	} else if err := json.Unmarshal(bytes.TrimSpace(out[i:]), &s); err != nil {
		return result{}, fmt.Errorf("wrk summary: %v: %s", err, out)
	}
	page, err := e.pageBytes(ctx)
	if err != nil {
		return result{}, err
	}
	errs := s.TransportErrors + s.StatusErrors
	return result{
		Concurrency: concurrency,
		Elapsed:     time.Duration(s.DurationUS) * time.Microsecond,
		Requests:    s.Requests,
		OK:          s.Requests - errs,
		Errors:      errs,
		Bytes:       page * int64(s.Requests),
		Statuses:    map[int]int{},
		Percentiles: map[float64]time.Duration{
			50: time.Duration(s.P50US) * time.Microsecond,
			99: time.Duration(s.P99US) * time.Microsecond,
		},
	}, nil
}

// pageBytes is the size of one gzipped form page as sent.
func (e *benchEnv) pageBytes(ctx context.Context) (int64, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", e.baseURL+"/s/chuangwen/"+communities[0], nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		return 0, fmt.Errorf("form page: %s, Content-Encoding %q", res.Status, res.Header.Get("Content-Encoding"))
	}
	return io.Copy(io.Discard, res.Body)
}
