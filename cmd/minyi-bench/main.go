// Command minyi-bench measures minyi on this machine and writes BENCHMARKS.md: a burst
// of residents submitting, the PostgreSQL single-row INSERT ceiling (pgbench), the form
// page, and the indicators API over a city of 1,000 communities and 1,000,000
// responses. `make bench` runs it against a PostgreSQL with durability as shipped
// (fsync and synchronous_commit on) and a Redis, both throwaway.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

type options struct {
	minyi      string // path of the minyi binary
	adminURL   string // PostgreSQL URL of a superuser, on the maintenance database
	redisURL   string
	pgbench    string
	wrk        string
	out        string
	commit     string
	duration   time.Duration
	responses  int
	areas      int
	concurrent []int
	spreadFor  time.Duration // length of each burst over a spread of communities
}

func main() {
	var o options
	var conc string
	flag.StringVar(&o.minyi, "minyi", "bin/minyi", "minyi binary")
	flag.StringVar(&o.adminURL, "db", os.Getenv("TEST_DATABASE_URL"), "PostgreSQL superuser URL")
	flag.StringVar(&o.redisURL, "redis", os.Getenv("TEST_REDIS_URL"), "Redis URL")
	flag.StringVar(&o.pgbench, "pgbench", "pgbench", "pgbench binary")
	flag.StringVar(&o.wrk, "wrk", "wrk", "wrk binary (the form page's load generator)")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "report file")
	flag.StringVar(&o.commit, "commit", "", "commit measured")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each load run")
	flag.IntVar(&o.responses, "responses", 1_000_000, "responses seeded for the dashboard benchmark")
	flag.IntVar(&o.areas, "areas", 1000, "communities seeded for the dashboard benchmark")
	flag.DurationVar(&o.spreadFor, "spread-duration", 60*time.Second, "length of the burst over each spread of communities (0: none)")
	flag.StringVar(&conc, "concurrency", "16,64,256", "concurrency levels of the submission burst")
	flag.Parse()
	// The load generator shares the cores with what it measures: it collects garbage
	// as rarely as the server does (minyi serve's default).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	for _, s := range strings.Split(conc, ",") {
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 {
			log.Fatalf("bad -concurrency %q", conc)
		}
		o.concurrent = append(o.concurrent, n)
	}
	if o.adminURL == "" || o.redisURL == "" {
		log.Fatal("need -db and -redis (or TEST_DATABASE_URL and TEST_REDIS_URL)")
	}
	if err := run(context.Background(), o); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, o options) error {
	r := &report{Date: time.Now(), Commit: o.commit, Machine: describeMachine(), LoadBefore: loadAverage(), Duration: o.duration}
	env, err := newBenchEnv(ctx, o)
	if err != nil {
		return err
	}
	defer env.close()

	log.Printf("resident burst at concurrency %v, %s each", o.concurrent, o.duration)
	for _, c := range o.concurrent {
		before, err := env.batches(ctx)
		if err != nil {
			return err
		}
		res, err := env.submissions(ctx, c, o.duration)
		if err != nil {
			return err
		}
		after, err := env.batches(ctx)
		if err != nil {
			return err
		}
		res.Batches = after.since(before)
		r.Burst = append(r.Burst, res)
		log.Printf("  c=%d: %.0f accepted/s, p50 %s p95 %s p99 %s, errors %d, %.1f per commit", c, res.perSecond(res.OK), ms(res.pct(50)), ms(res.pct(95)), ms(res.pct(99)), res.Errors, res.Batches.Submissions/max(res.Batches.Commits, 1))
	}
	if r.Stored, err = env.storedResponses(ctx); err != nil {
		return err
	}
	if o.spreadFor > 0 {
		if r.Spreads, err = env.spreadBursts(ctx, o.spreadFor); err != nil {
			return err
		}
	}
	log.Printf("pgbench ceiling at concurrency 64")
	if r.CeilingTPS, err = env.pgbenchCeiling(ctx, 64, o.duration); err != nil {
		return err
	}
	log.Printf("  pgbench: %.0f tps", r.CeilingTPS)
	log.Printf("form page at concurrency 64")
	if r.Form, err = env.formPage(ctx, 64, o.duration); err != nil {
		return err
	}
	log.Printf("  form: %.0f req/s, p99 %s", r.Form.perSecond(r.Form.OK), ms(r.Form.pct(99)))
	r.RSS, r.PeakRSS = env.serverRSS()
	if o.responses > 0 { // -responses 0: a trial run of the write path only
		log.Printf("seeding %d responses over %d communities", o.responses, o.areas)
		if r.Seed, err = env.seedCity(ctx, o.areas, o.responses); err != nil {
			return err
		}
		log.Printf("indicators API")
		if r.Dashboard, err = env.dashboard(ctx); err != nil {
			return err
		}
	}
	if err := os.WriteFile(o.out, []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	log.Printf("wrote %s", o.out)
	fmt.Print(r.markdown())
	return nil
}
