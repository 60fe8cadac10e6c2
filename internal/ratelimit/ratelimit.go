// Package ratelimit limits request rates with GCRA in Redis, falling back to in-process
// limits when Redis is unreachable.
package ratelimit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// DefaultTimeout is how long one Allow waits for Redis before deciding in-process.
const DefaultTimeout = 50 * time.Millisecond

// DefaultMaxLocalKeys caps the in-process limiters kept while Redis is unreachable.
const DefaultMaxLocalKeys = 100_000

// Limit allows Rate requests per Period, up to Burst at once. A zero Burst means Rate.
// A Limit whose Rate or Period is not positive allows every request.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// PerSecond returns a Limit of n requests a second, n at once.
func PerSecond(n int) Limit { return Limit{Rate: n, Period: time.Second, Burst: n} }

// PerMinute returns a Limit of n requests a minute, n at once.
func PerMinute(n int) Limit { return Limit{Rate: n, Period: time.Minute, Burst: n} }

// PerHour returns a Limit of n requests an hour, n at once.
func PerHour(n int) Limit { return Limit{Rate: n, Period: time.Hour, Burst: n} }

func (lim Limit) normalized() Limit {
	if lim.Burst <= 0 {
		lim.Burst = lim.Rate
	}
	return lim
}

func (lim Limit) valid() bool { return lim.Rate > 0 && lim.Period > 0 }

// Decision is the outcome of one Allow.
type Decision struct {
	Allowed bool
	// RetryAfter is zero when Allowed; otherwise it is how long to wait before the
	// next request may pass, rounded up to whole seconds and at least one second,
	// ready for a Retry-After header.
	RetryAfter time.Duration
	// Remaining is how many more requests the key may make right now.
	Remaining int
}

// Limiter decides whether requests may pass. It is safe for concurrent use.
type Limiter struct {
	rdb      *redis_rate.Limiter
	prefix   string
	log      *slog.Logger
	timeout  time.Duration
	maxLocal int
	local    *local
	degraded atomic.Bool
	now      func() time.Time // the in-process limiters' clock; tests fix it
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithTimeout sets how long each Redis call may take (DefaultTimeout by default).
func WithTimeout(d time.Duration) Option {
	return func(l *Limiter) {
		if d > 0 {
			l.timeout = d
		}
	}
}

// WithMaxLocalKeys caps the in-process limiters used while Redis is unreachable
// (DefaultMaxLocalKeys by default).
func WithMaxLocalKeys(n int) Option {
	return func(l *Limiter) {
		if n > 0 {
			l.maxLocal = n
		}
	}
}

// New returns a Limiter that keeps its state in rdb, which must not be nil, under keys
// starting with "rate:" + prefix. A nil log discards log output.
//
// rdb should have ContextTimeoutEnabled set: go-redis otherwise ignores the Limiter's
// deadline on socket reads, and a Redis that accepts connections but does not answer
// holds each request for the client's ReadTimeout. New logs a warning if it is unset.
func New(rdb *redis.Client, prefix string, log *slog.Logger, opts ...Option) *Limiter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if !rdb.Options().ContextTimeoutEnabled {
		log.Warn("ratelimit: redis client has ContextTimeoutEnabled unset; a hung Redis may stall requests past the limiter timeout")
	}
	l := &Limiter{
		prefix:   prefix,
		log:      log,
		timeout:  DefaultTimeout,
		maxLocal: DefaultMaxLocalKeys,
		now:      time.Now,
	}
	for _, opt := range opts {
		opt(l)
	}
	l.local = newLocal(l.maxLocal)
	l.rdb = redis_rate.NewLimiter(newPipeliner(rdb, l.timeout))
	return l
}

// Allow records one request for key under lim and reports whether it may pass.
//
// It asks Redis first, within the Limiter's timeout. If Redis fails, it decides with an
// in-process limiter for key and lim instead, so limits hold per process while Redis
// is down, and the next call tries Redis again. Allow never fails: a limiter failure
// must not refuse a request.
func (l *Limiter) Allow(ctx context.Context, key string, lim Limit) Decision {
	return l.AllowN(ctx, key, lim, 1)
}

// AllowN records n requests at once, e.g. the rows of one upload: all of them pass
// or none does (and then none is recorded). It falls back as Allow does.
func (l *Limiter) AllowN(ctx context.Context, key string, lim Limit, n int) Decision {
	lim = lim.normalized()
	if !lim.valid() || n <= 0 {
		return Decision{Allowed: true, Remaining: lim.Burst}
	}
	res, err := l.redis(ctx, func(rctx context.Context, rl redis_rate.Limit) (*redis_rate.Result, error) {
		return l.rdb.AllowN(rctx, l.prefix+key, rl, n)
	}, lim)
	if err != nil {
		return l.local.allowN(key, lim, n, l.now())
	}
	if res.Allowed > 0 {
		return Decision{Allowed: true, Remaining: res.Remaining}
	}
	return Decision{RetryAfter: retryAfter(res.RetryAfter), Remaining: res.Remaining}
}

// AllowAtMost records as many of n requests as the budget allows now and returns how
// many that is, from 0 to n: the first ones pass, the rest do not (and are not
// recorded). It falls back as Allow does.
func (l *Limiter) AllowAtMost(ctx context.Context, key string, lim Limit, n int) int {
	lim = lim.normalized()
	if !lim.valid() || n <= 0 {
		return max(n, 0)
	}
	res, err := l.redis(ctx, func(rctx context.Context, rl redis_rate.Limit) (*redis_rate.Result, error) {
		return l.rdb.AllowAtMost(rctx, l.prefix+key, rl, n)
	}, lim)
	if err != nil {
		return l.local.allowAtMost(key, lim, n, l.now())
	}
	return res.Allowed
}

// redis runs one call against Redis within the timeout, keeping track of whether
// Redis answers.
func (l *Limiter) redis(ctx context.Context, call func(context.Context, redis_rate.Limit) (*redis_rate.Result, error), lim Limit) (*redis_rate.Result, error) {
	rctx, cancel := context.WithTimeout(ctx, l.timeout)
	res, err := call(rctx, redis_rate.Limit{Rate: lim.Rate, Period: lim.Period, Burst: lim.Burst})
	cancel()
	if err != nil {
		// A caller that gave up says nothing about Redis's health.
		if ctx.Err() == nil {
			l.markDown(err)
		}
		return nil, err
	}
	l.markUp()
	return res, nil
}

// Degraded reports whether the last Redis call failed, so decisions are in-process.
func (l *Limiter) Degraded() bool { return l.degraded.Load() }

// markDown logs once per transition to degraded, not once per request.
func (l *Limiter) markDown(err error) {
	if l.degraded.CompareAndSwap(false, true) {
		l.log.Warn("ratelimit: redis unreachable, limiting in-process", "prefix", l.prefix, "err", err)
	}
}

// markUp logs once per recovery and frees the in-process limiters.
func (l *Limiter) markUp() {
	if l.degraded.CompareAndSwap(true, false) {
		l.local.reset()
		l.log.Info("ratelimit: redis reachable again", "prefix", l.prefix)
	}
}

// retryAfter rounds d up to whole seconds, at least one.
func retryAfter(d time.Duration) time.Duration {
	if d <= time.Second {
		return time.Second
	}
	return (d + time.Second - 1).Truncate(time.Second)
}
