package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"

	"github.com/redis/go-redis/v9"

	"minyi/internal/metrics"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
	"minyi/internal/web"
)

func cmdServe(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments")
	}
	if err := checkSchema(ctx, a); err != nil {
		return err
	}
	tuneGC()
	ropts, err := redis.ParseURL(a.cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	ropts.ContextTimeoutEnabled = true // limiter calls give Redis only milliseconds
	// A Redis that refuses connections must cost a request nothing: one dial, no
	// command retries. go-redis would otherwise spend the limiter's whole timeout
	// retrying, three times per submission.
	ropts.DialerRetries, ropts.MaxRetries = 1, -1
	// go-redis would print every failed dial while Redis is down; the limiter already
	// logs the outage once, so its lines go to debug.
	redis.SetLogger(redisLog{a.log})
	rdb := redis.NewClient(ropts)
	defer rdb.Close()
	lim := ratelimit.New(rdb, a.cfg.RedisPrefix+"rl:", a.log)
	m := metrics.New()
	m.WatchRedisFallback(lim.Degraded)
	m.WatchDBPool(func() metrics.PoolStats { return metrics.PoolStatsFrom(a.pool.Stat()) })
	m.WatchFold(func() metrics.FoldQueue {
		st := a.store.CountState()
		return metrics.FoldQueue{Backlog: st.Uncounted, Oldest: st.Oldest}
	})
	a.store.ObserveFolds(m.ObserveFold)
	// Group commit: concurrent submissions share one transaction and one WAL flush.
	batcher := store.NewBatcher(a.store, a.cfg.SubmitWorkers, a.cfg.SubmitBatch, m.ObserveBatch)
	defer batcher.Close()
	site := web.New(a.cfg, a.store, rdb, lim, a.log, web.WithSubmitter(batcher), web.WithMetrics(m))
	srv := web.NewHTTPServer(a.cfg.Addr, site.Handler())
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	// Metrics on a listener of their own, never on the public one.
	msrv := metricsServer(a.cfg.MetricsAddr, m)
	if msrv != nil {
		go func() { errc <- fmt.Errorf("metrics listener %s: %w", msrv.Addr, msrv.ListenAndServe()) }()
	}
	go foldInBackground(ctx, a)
	go measureQueue(ctx, a)
	go remindInBackground(ctx, a)
	if a.cfg.PprofAddr != "" {
		// Profiling on a listener of its own, never on the public one.
		go func() { a.log.Warn("pprof stopped", "err", http.ListenAndServe(a.cfg.PprofAddr, pprofMux())) }()
	}
	a.log.Info("serving", "addr", a.cfg.Addr, "base_url", a.cfg.BaseURL, "metrics_addr", a.cfg.MetricsAddr)
	printURLs(ctx, a)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	site.Drain()
	a.log.Info("shutting down: not ready, finishing requests in flight", "drain_delay", a.cfg.DrainDelay.String())
	time.Sleep(a.cfg.DrainDelay)
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	if msrv != nil {
		// Scraped until the end, then closed with the service.
		err = errors.Join(err, msrv.Shutdown(sctx))
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// metricsServer serves m at /metrics on addr, and nothing else; nil when addr is
// "off".
func metricsServer(addr string, m *metrics.Metrics) *http.Server {
	if addr == "off" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return web.NewHTTPServer(addr, mux)
}

// checkSchema applies pending migrations first when MINYI_MIGRATE_ON_START=1, then
// refuses to serve a schema this binary does not run on: an older one (migrate first)
// or a newer one changed by a contract step (roll forward instead). A newer schema
// made by expand-only migrations is served, and said so.
func checkSchema(ctx context.Context, a *app) error {
	if a.cfg.MigrateOnStart {
		if err := store.Migrate(ctx, a.pool); err != nil {
			return err
		}
	}
	st, err := store.CheckSchema(ctx, a.pool)
	if err != nil {
		a.log.Error("refusing to serve this database schema", "database_schema", st.Database,
			"binary_schema", st.Binary, "min_binary_schema", st.MinBinary, "err", err)
		return err
	}
	if st.Newer() {
		a.log.Info("serving a newer database schema made by expand-only migrations", "database_schema", st.Database,
			"binary_schema", st.Binary, "min_binary_schema", st.MinBinary)
	}
	return nil
}

// foldInBackground counts new responses into the counters every cfg.FoldInterval
// (joining the fold a read asked for, if one is at work), so that a read finds little
// left to wait for; after each, it gives older suggestions their search pieces
// (Store.FillPieces). Once an hour it also removes ended sessions.
func foldInBackground(ctx context.Context, a *app) {
	t := time.NewTicker(a.cfg.FoldInterval)
	defer t.Stop()
	failing := false
	var swept time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, err := a.store.Fold(ctx)
		if err != nil && !failing && ctx.Err() == nil {
			a.log.Warn("counting new responses failed; will retry", "err", err)
		}
		failing = err != nil
		if err == nil {
			// Older suggestions get their search pieces a batch at a time; a failure
			// leaves them for the next tick.
			a.store.FillPieces(ctx)
		}
		if now := time.Now(); now.Sub(swept) > time.Hour {
			swept = now
			if _, err := a.store.DeleteExpiredSessions(ctx, now, a.cfg.SessionIdle); err != nil && ctx.Err() == nil {
				a.log.Warn("removing ended sessions failed; will retry", "err", err)
			}
		}
	}
}

// measureQueue measures the counting queue every cfg.FoldInterval (at least every
// second) apart from the folds, so that the backlog and the age of its oldest item
// keep being reported while counting is stuck.
func measureQueue(ctx context.Context, a *app) {
	t := time.NewTicker(max(a.cfg.FoldInterval, time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		a.store.MeasureQueue(ctx) // on failure the last measure stands
	}
}

func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// printURLs tells whoever started the server where to look: a resident form, a poster
// sheet and the API, for the first survey and its first community.
func printURLs(ctx context.Context, a *app) {
	surveys, err := a.store.Surveys(ctx, time.Now())
	if err != nil || len(surveys) == 0 {
		return
	}
	tree, err := a.store.Subtree(ctx, "")
	if err != nil || len(tree) == 0 {
		return
	}
	s := surveys[0].ID
	fmt.Fprintf(a.out, "\nminyi is running at %s\n", a.cfg.BaseURL)
	for _, ar := range tree {
		if ar.IsCommunity() && ar.InScope {
			fmt.Fprintf(a.out, "  resident form : %s\n", web.FormURL(a.cfg.BaseURL, s, ar.Code))
			break
		}
	}
	for _, ar := range tree {
		if ar.Kind == "street" || ar.Kind == "town" {
			fmt.Fprintf(a.out, "  poster sheet  : %s/posters/%s/%s\n", a.cfg.BaseURL, s, ar.Code)
			break
		}
	}
	fmt.Fprintf(a.out, "  sign in       : %s/login (dashboard, administration, volunteers' app)\n", a.cfg.BaseURL)
	fmt.Fprintf(a.out, "  indicators API: %s/api/v1/indicators?survey=%s&area=%s&by=children (needs a token: minyi token create --user U --name NAME)\n\n",
		a.cfg.BaseURL, s, tree[0].Code)
}

// redisLog sends go-redis's own messages to the debug level of the service's log.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// tuneGC lets the heap grow to five times what is live between collections, instead of
// twice, unless GOGC says otherwise: the live heap of a minyi process is small, and a
// burst of submissions then spends far less CPU collecting. A soft limit of 512 MiB,
// unless GOMEMLIMIT says otherwise, makes the collector work harder before the heap
// gets anywhere near a container's memory limit.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
}
