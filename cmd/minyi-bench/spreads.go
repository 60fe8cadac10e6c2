package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// spread is a set of communities a burst of residents is spread over: the more
// communities, the fewer responses share each counter a fold updates.
type spread struct {
	Name        string
	Communities []string // area codes
}

// spreadRun is what one burst over a spread measured.
type spreadRun struct {
	Name        string
	Communities int
	result
	// Upserts is the counter rows written (inserted or updated) while the burst and
	// the 5 s after it were counted, per response counted.
	Upserts float64
	// Backlog is the responses waiting in the counting queue when the burst ended,
	// and Later 5 s after.
	Backlog, Later int
}

// spreadTree imports a tree of districts × streets per district × communities per
// street under one root with `minyi area import`, and returns the communities' codes.
// prefix keeps the codes of two trees apart.
func (e *benchEnv) spreadTree(ctx context.Context, prefix, name string, districts, streets, communities int) ([]string, error) {
	var csv strings.Builder
	var codes []string
	fmt.Fprintf(&csv, "code,name,kind,parent_code,households,in_scope\n%s,%s,city,,,true\n", prefix, name)
	for d := range districts {
		fmt.Fprintf(&csv, "%sd%d,第%d区,district,%s,,true\n", prefix, d, d+1, prefix)
		for s := range streets {
			street := fmt.Sprintf("%ss%d-%d", prefix, d, s)
			fmt.Fprintf(&csv, "%s,第%d街道,street,%sd%d,,true\n", street, s+1, prefix, d)
			for c := range communities {
				code := fmt.Sprintf("%sc%d-%d-%d", prefix, d, s, c)
				fmt.Fprintf(&csv, "%s,第%d社区,community,%s,2000,true\n", code, c+1, street)
				codes = append(codes, code)
			}
		}
	}
	dir, err := os.MkdirTemp("", "minyi-spread")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, prefix+".csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		return nil, err
	}
	_, err = e.minyi(ctx, "area", "import", file)
	return codes, err
}

// spreads are the demo's 15 communities, a city of 1,000 (10 districts × 10 streets ×
// 10 communities) and a province-sized 20,000 (20 districts × 100 streets × 10).
func (e *benchEnv) spreads(ctx context.Context) ([]spread, error) {
	city, err := e.spreadTree(ctx, "sc", "千社区市", 10, 10, 10)
	if err != nil {
		return nil, err
	}
	province, err := e.spreadTree(ctx, "sp", "两万社区", 20, 100, 10)
	if err != nil {
		return nil, err
	}
	return []spread{
		{"demo, 15 communities", communities},
		{"city, 1,000 communities", city},
		{"province, 20,000 communities", province},
	}, nil
}

// spreadBurst runs the resident burst over one spread, then reads the counting queue
// at once and 5 s later, and the counter rows written meanwhile.
func (e *benchEnv) spreadBurst(ctx context.Context, sp spread, concurrency int, d time.Duration) (spreadRun, error) {
	before, err := e.counterWrites(ctx)
	if err != nil {
		return spreadRun{}, err
	}
	e.spread = sp.Communities
	defer func() { e.spread = nil }()
	res, err := e.submissions(ctx, concurrency, d)
	if err != nil {
		return spreadRun{}, err
	}
	run := spreadRun{Name: sp.Name, Communities: len(sp.Communities), result: res}
	if run.Backlog, err = e.backlog(ctx); err != nil {
		return run, err
	}
	time.Sleep(5 * time.Second)
	if run.Later, err = e.backlog(ctx); err != nil {
		return run, err
	}
	after, err := e.counterWrites(ctx)
	if err != nil {
		return run, err
	}
	if counted := res.OK - run.Later; counted > 0 {
		run.Upserts = float64(after-before) / float64(counted)
	}
	return run, nil
}

// backlog is the number of responses waiting to be counted.
func (e *benchEnv) backlog(ctx context.Context) (int, error) {
	var n int
	err := e.pool.QueryRow(ctx, `SELECT count(*) FROM uncounted`).Scan(&n)
	return n, err
}

// counterWrites is the rows inserted and updated so far in the tables that hold
// counters, from PostgreSQL's statistics.
func (e *benchEnv) counterWrites(ctx context.Context) (int64, error) {
	// A backend flushes its table statistics when idle, at most once a second, and
	// one that stays idle after 10 s.
	time.Sleep(11 * time.Second)
	if _, err := e.pool.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return 0, err
	}
	var n int64
	err := e.pool.QueryRow(ctx, `SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0)::bigint FROM pg_stat_user_tables
		WHERE relname IN ('tallies', 'rollups', 'tally_vectors', 'rollup_vectors')`).Scan(&n)
	return n, err
}

// spreadIndex picks the community of worker w's request seq out of n: scattered over
// all of them (a multiplicative hash of the request's number), as residents of a whole
// city answer at once, rather than a window of neighbours moving along the list.
func spreadIndex(w, seq, n int) int {
	return int(uint64(seq*spreadConcurrency+w) * 2654435761 % uint64(n))
}

// spreadConcurrency is the connections of a burst over a spread.
const spreadConcurrency = 64

// spreadBursts imports the spreads' trees and runs a burst of d over each.
func (e *benchEnv) spreadBursts(ctx context.Context, d time.Duration) ([]spreadRun, error) {
	log.Printf("importing the spreads' area trees")
	spreads, err := e.spreads(ctx)
	if err != nil {
		return nil, err
	}
	var out []spreadRun
	for _, sp := range spreads {
		log.Printf("resident burst over %s at concurrency %d, %s", sp.Name, spreadConcurrency, d)
		run, err := e.spreadBurst(ctx, sp, spreadConcurrency, d)
		if err != nil {
			return nil, err
		}
		log.Printf("  %.0f accepted/s, p99 %s, errors %d, %.1f counter rows per response, backlog %d then %d",
			run.perSecond(run.OK), ms(run.pct(99)), run.Errors, run.Upserts, run.Backlog, run.Later)
		out = append(out, run)
	}
	return out, nil
}

// spreadsMarkdown writes the spreads' section of the report.
func (r *report) spreadsMarkdown(w func(format string, a ...any)) {
	if len(r.Spreads) == 0 {
		return
	}
	w("### Spread over 15, 1,000 and 20,000 communities\n\n")
	w("The same burst at concurrency %d for %s each, over the demo's 15 communities, a city of 1,000 (10 districts, 100 streets) and 20,000 (20 districts, 2,000 streets), so that ever fewer responses share a counter. Counter rows: rows inserted or updated in the counter tables (PostgreSQL's pg_stat_user_tables) while the burst and the 5 s after it were counted, per response counted. Backlog: responses waiting in the counting queue when the burst ended, and 5 s later.\n\n", spreadConcurrency, r.Spreads[0].Elapsed.Round(time.Second))
	w("| communities | accepted/s | p50 | p99 | 201s | errors | counter rows per response | backlog at end | 5 s later |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, x := range r.Spreads {
		w("| %s | %.0f | %s | %s | %d | %d | %.2f | %d | %d |\n", x.Name, x.perSecond(x.OK), ms(x.pct(50)), ms(x.pct(99)), x.OK, x.Errors, x.Upserts, x.Backlog, x.Later)
	}
	w("\n")
}
