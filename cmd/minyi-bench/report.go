package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report is what BENCHMARKS.md says.
type report struct {
	Date       time.Time
	Commit     string
	Machine    string
	LoadBefore string // /proc/loadavg when the run began
	Duration   time.Duration
	Burst      []result
	Spreads    []spreadRun
	Stored     int
	CeilingTPS float64
	Form       result
	RSS        int64
	PeakRSS    int64
	Seed       seedInfo
	Dashboard  []dashboardRun
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (r *report) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# Benchmarks\n\nMeasured by `make bench` (cmd/minyi-bench) on %s, commit `%s`.\n\n", r.Date.Format("2006-01-02 15:04 MST"), r.Commit)
	w("Machine: %s\n\n", r.Machine)
	if r.LoadBefore != "" {
		w("Load average (1, 5, 15 min; other work on the machine competes for the same cores): %s before the run, %s after it.\n\n", r.LoadBefore, loadAverage())
	}
	w("Everything runs on this one machine over loopback: PostgreSQL with durability as shipped (fsync and synchronous_commit on), Redis, the minyi server (`minyi serve` with its defaults: one group-commit writer, counting every two seconds) and the load generators, which compete with them for the same cores. Each load run lasts %s.\n\n", r.Duration)

	w("## 1. Resident burst\n\nEvery resident is new and does what a phone does: it opens the form page (gzip, no device cookie, so the server issues a new device and a form token for it), then posts a complete answer set (every single and multiple choice, and a suggestion in the free-text question) with a fresh client_id, the page's form token and the device cookie. Residents rotate over the 15 demo communities and are sent by cmd/minyi-bench over 'concurrency' keep-alive connections, each waiting for its replies before the next resident. Each submission passes the form token check, the per-IP and per-form limits and the net_burst count in Redis (limits and MINYI_FLAG_PER_NET raised, since all come from 127.0.0.1; MINYI_MIN_FILL=0s, since the bench answers at once), and the once-per-device and once-per-token rules in PostgreSQL. Accepted/s counts 201s; latencies are of the whole visit (form page and submission).\n\n")
	w("| concurrency | accepted/s | p50 | p95 | p99 | 201s | errors | statuses | per commit | commit time |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n")
	accepted := 0
	for _, x := range r.Burst {
		accepted += x.OK
		b := x.Batches
		commits := max(b.Commits, 1)
		w("| %d | %.0f | %s | %s | %s | %d | %d | %v | %.1f | %.1f ms |\n", x.Concurrency, x.perSecond(x.OK), ms(x.pct(50)), ms(x.pct(95)), ms(x.pct(99)), x.OK, x.Errors, x.Statuses,
			b.Submissions/commits, 1000*b.Seconds/commits)
	}
	w("\nPer commit: submissions written per group-commit transaction, on average; commit time: the mean time to write one, from the server's /metrics.\n")
	verdict := "equal: nothing lost, nothing doubled"
	if accepted != r.Stored {
		verdict = "NOT EQUAL"
	}
	w("\nStored responses afterwards: %d; 201 replies: %d (%s).\n\n", r.Stored, accepted, verdict)
	w("Server memory: RSS %.0f MB now, peak %.0f MB (VmHWM, after the burst and the form runs).\n\n", float64(r.RSS)/(1<<20), float64(r.PeakRSS)/(1<<20))

	r.spreadsMarkdown(w)
	w("## 2. Ceiling: raw single-row INSERTs (pgbench)\n\n")
	w("pgbench, concurrency 64, 2 threads, one `INSERT` per transaction of a response-like row (uuid keys, unique client_id, answers as jsonb) into the same PostgreSQL.\n\n")
	w("| pgbench tps | minyi accepted/s at 64 | ratio |\n| ---: | ---: | ---: |\n")
	for _, x := range r.Burst {
		if x.Concurrency == 64 && r.CeilingTPS > 0 {
			w("| %.0f | %.0f | %.0f%% |\n", r.CeilingTPS, x.perSecond(x.OK), 100*x.perSecond(x.OK)/r.CeilingTPS)
		}
	}
	w("\nminyi's figure includes, per submission, HTTP and JSON, answer validation, two Redis rate-limit calls, the response row and its place in the counting queue, and the fold of its answers into the tally and rollup counters and of its suggestion into the suggestions and their search index (in the background, every two seconds); concurrent submissions share one transaction (group commit).\n\n")

	f := r.Form
	per := int64(0)
	if f.Requests > 0 {
		per = f.Bytes / int64(f.Requests)
	}
	w("## 3. Form page\n\n`GET /s/chuangwen/{community}` with `Accept-Encoding: gzip` and no cookie (so each view also makes a new device cookie), rotating over the 15 demo communities, concurrency %d, loaded by wrk (Debian's package, 2 threads, script cmd/minyi-bench/lua/form.lua); the bytes per page are of one reply read by minyi-bench.\n\n", f.Concurrency)
	w("| req/s | p50 | p99 | bytes per page (gzip) | errors |\n| ---: | ---: | ---: | ---: | ---: |\n")
	w("| %.0f | %s | %s | %d | %d |\n\n", f.perSecond(f.OK), ms(f.pct(50)), ms(f.pct(99)), per, f.Errors)

	s := r.Seed
	w("## 4. Dashboard: indicators and dashboard APIs\n\n%d communities (under 10 districts and 100 streets), %d responses in one round over 14 days and three channels, seeded in %s; counters in %d daily cells and %d per-round cells (one vector row each). 200 requests per view, one at a time.\n\n",
		s.Communities, s.Responses, s.Took.Round(time.Second), s.Tallies, s.Rollups)
	w("| view | p50 | p95 | p99 | errors |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, d := range r.Dashboard {
		w("| %s | %s | %s | %s | %d |\n", d.Name, ms(d.pct(50)), ms(d.pct(95)), ms(d.pct(99)), d.Errors)
	}
	w("\nWithout a date range figures come from per-round counter vectors kept for every area's whole subtree; with one, from the same vectors kept per day.\n")
	return b.String()
}

// loadAverage is the 1, 5 and 15 minute load averages, from /proc/loadavg.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// describeMachine says what the figures were measured on.
func describeMachine() string {
	cpu := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	mem := ""
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(string(raw), "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf(", %.0f GiB memory", float64(kb)/(1<<20))
	}
	pg := ""
	if out, err := exec.Command("psql", "--version").Output(); err == nil {
		pg = ", " + strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%d cores (%s)%s, %s %s/%s%s", runtime.NumCPU(), cpu, mem, runtime.Version(), runtime.GOOS, runtime.GOARCH, pg)
}
