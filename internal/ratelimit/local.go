package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// local holds the in-process token buckets used while Redis is unreachable, one per
// key and Limit, at most max of them.
type local struct {
	mu   sync.Mutex
	max  int
	lims map[localKey]*rate.Limiter
}

type localKey struct {
	key string
	lim Limit
}

func newLocal(capacity int) *local {
	return &local{max: capacity, lims: make(map[localKey]*rate.Limiter)}
}

// allowN takes n tokens from the bucket for key and lim, which must be valid, or none.
func (s *local) allowN(key string, lim Limit, n int, now time.Time) Decision {
	b := s.bucket(localKey{key, lim}, now)
	if b.AllowN(now, n) {
		return Decision{Allowed: true, Remaining: int(b.TokensAt(now))}
	}
	missing := float64(n) - b.TokensAt(now)
	wait := time.Duration(missing / float64(b.Limit()) * float64(time.Second))
	return Decision{RetryAfter: retryAfter(wait)}
}

// allowAtMost takes up to n tokens from the bucket for key and lim, as many as it
// holds, and returns how many it took.
func (s *local) allowAtMost(key string, lim Limit, n int, now time.Time) int {
	b := s.bucket(localKey{key, lim}, now)
	for k := min(n, int(b.TokensAt(now))); k > 0; k-- {
		if b.AllowN(now, k) {
			return k
		}
	}
	return 0
}

func (s *local) bucket(k localKey, now time.Time) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.lims[k]; ok {
		return b
	}
	if len(s.lims) >= s.max {
		s.evict(now)
	}
	r := rate.Limit(float64(k.lim.Rate) / k.lim.Period.Seconds())
	b := rate.NewLimiter(r, k.lim.Burst)
	s.lims[k] = b
	return b
}

// evict drops the buckets that have refilled, which loses nothing since a new bucket
// starts full, then arbitrary others until a tenth of the room is free, so sweeps
// stay rare even when every key is busy.
func (s *local) evict(now time.Time) {
	for k, b := range s.lims {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(s.lims, k)
		}
	}
	target := s.max - max(s.max/10, 1)
	for k := range s.lims {
		if len(s.lims) <= target {
			break
		}
		delete(s.lims, k)
	}
}

// reset forgets every bucket.
func (s *local) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.lims)
}

func (s *local) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lims)
}
