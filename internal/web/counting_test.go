package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/internal/config"
	"minyi/internal/store"
)

// A small server over a pool of 4 connections, submissions going through the
// group-commit writer as in serve, for the reads-never-stall tests.
func smallPoolServer(t *testing.T, e *testEnv) (*testEnv, *pgxpool.Pool) {
	t.Helper()
	pc := e.pool.Config().Copy()
	pc.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool, 3*time.Second, e.cfg.Location) // a read waits 600 ms for counting
	b := store.NewBatcher(st, 1, 64, nil)
	t.Cleanup(b.Close)
	cfg := e.cfg
	cfg.Limits = config.Limits{PerIP: 100000, PerForm: 100000, PerUser: 100000, LoginPerUser: 100, LoginPerIP: 100}
	srv := New(cfg, st, e.srv.redis, e.srv.limiter, e.srv.log, WithSubmitter(b))
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	small := *e
	small.srv, small.http, small.store, small.pool, small.cfg = srv, hs, st, pool, cfg
	return &small, pool
}

// figuresReply is what every figures reply says about counting, and the overview's
// respondents.
type figuresReply struct {
	AsOf        *time.Time `json:"as_of"`
	Uncounted   *int       `json:"uncounted"`
	Respondents int        `json:"respondents"`
	Rows        []struct {
		Respondents int `json:"respondents"`
	} `json:"rows"`
}

// figureViews are the figures replies, each of which must say how current it is.
var figureViews = []string{
	"/api/v1/indicators?survey=chuangwen&area=" + district,
	"/api/v1/dashboard/overview?survey=chuangwen&area=" + district,
	"/api/v1/dashboard/children?survey=chuangwen&area=" + district,
	"/api/v1/dashboard/ranking?survey=chuangwen&area=" + district + "&level=community&indicator=satisfaction",
	"/api/v1/dashboard/trends?survey=chuangwen&area=" + district + "&by=day",
	"/api/v1/dashboard/topics?survey=chuangwen&area=" + district,
	"/api/v1/dashboard/coverage?survey=chuangwen&area=" + district,
	"/api/v1/dashboard/suggestions?survey=chuangwen&area=" + district,
}

// TestReadsNeverStallWrites holds the counters locked, as a fold that cannot finish
// would, while residents keep submitting and officials keep reading every dashboard
// view over a pool of 4 connections. Submissions all succeed; every read answers with
// the figures counted before the lock and says so: as_of of the last fold, and how
// many responses wait; /readyz stays ready. Once the lock goes, the next read counts
// everything.
func TestReadsNeverStallWrites(t *testing.T) {
	t.Parallel()
	big := newEnv(t, nil, nil)
	e, pool := smallPoolServer(t, big)
	ctx := context.Background()
	post := func() bool {
		res, _ := e.do("POST", "/api/v1/responses", newSubmission(community1, fullAnswers(e.def)), e.auth()...)
		return res.StatusCode == 201
	}
	const before = 3
	for range before {
		if !post() {
			t.Fatal("a submission before the lock failed")
		}
	}
	var first figuresReply
	if status := e.getJSON(figureViews[1], &first, e.auth()...); status != 200 || first.AsOf == nil || first.Respondents != before ||
		first.Uncounted == nil || *first.Uncounted != 0 {
		t.Fatalf("before the lock: got %d %+v, want 200 with as_of, %d respondents and 0 uncounted", status, first, before)
	}

	// A transaction of the test's own holds the counters, so every fold waits for it
	// until its deadline, as a fold that cannot finish would.
	lock, err := big.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, `LOCK TABLE tally_vectors, rollup_vectors IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	// One response waits from now on, so that no fold finds the queue empty.
	if !post() {
		t.Fatal("a submission under the lock failed")
	}
	const queued = 1

	const writers, each = 6, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range writers {
		wg.Go(func() {
			for range each {
				if !post() {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		})
	}
	type read struct {
		path   string
		status int
		reply  figuresReply
	}
	reads := make(chan read, 1000)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := range 3 {
		readers.Go(func() {
			for i := r; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := figureViews[i%len(figureViews)]
				res, raw := e.send("GET", path, nil, e.auth()...)
				var got figuresReply
				json.Unmarshal(raw, &got)
				reads <- read{path, res.StatusCode, got}
			}
		})
	}
	wg.Wait()
	if failed > 0 {
		t.Errorf("submissions while counting was stuck: %d of %d failed, want none", failed, writers*each)
	}
	res, _ := e.send("GET", "/readyz", nil)
	if res.StatusCode != 200 {
		t.Errorf("/readyz while counting was stuck: got %d, want 200", res.StatusCode)
	}
	// One more read of each kind, now that every submission is in.
	for _, path := range figureViews {
		res, raw := e.send("GET", path, nil, e.auth()...)
		var got figuresReply
		json.Unmarshal(raw, &got)
		reads <- read{path + " (after)", res.StatusCode, got}
	}
	close(stop)
	readers.Wait()
	close(reads)
	n := 0
	for r := range reads {
		n++
		switch {
		case r.status != 200:
			t.Errorf("%s: got %d, want 200", r.path, r.status)
		case r.reply.AsOf == nil || !r.reply.AsOf.Equal(*first.AsOf):
			t.Errorf("%s: as_of got %v, want %v (the last fold that finished)", r.path, r.reply.AsOf, *first.AsOf)
		case r.reply.Uncounted == nil:
			t.Errorf("%s: no uncounted", r.path)
		}
		if len(r.reply.Rows) > 0 && r.reply.Rows[0].Respondents != before {
			t.Errorf("%s: respondents got %d, want %d (those counted before the lock)", r.path, r.reply.Rows[0].Respondents, before)
		}
		if r.path == figureViews[1]+" (after)" {
			if r.reply.Respondents != before || *r.reply.Uncounted != queued+writers*each {
				t.Errorf("overview after every submission: got %d respondents and %d uncounted, want %d and %d",
					r.reply.Respondents, *r.reply.Uncounted, before, queued+writers*each)
			}
		}
	}
	if n < 2*len(figureViews) {
		t.Errorf("got %d reads, want at least %d", n, 2*len(figureViews))
	}
	if s := pool.Stat(); s.AcquiredConns() > 1 {
		t.Errorf("connections held with nothing but a stuck fold at work: got %d, want at most 1", s.AcquiredConns())
	}

	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	var last figuresReply
	deadline := time.Now().Add(30 * time.Second)
	for {
		if status := e.getJSON(figureViews[1], &last, e.auth()...); status != 200 {
			t.Fatalf("after the lock: got %d", status)
		}
		if last.Uncounted != nil && *last.Uncounted == 0 || time.Now().After(deadline) {
			break
		}
	}
	if want := before + queued + writers*each; last.Respondents != want || *last.Uncounted != 0 || !last.AsOf.After(*first.AsOf) {
		t.Errorf("after the lock: got %d respondents, %d uncounted, as_of %v, want %d, 0 and after %v",
			last.Respondents, *last.Uncounted, last.AsOf, want, *first.AsOf)
	}
}
