package store

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Fold batch sizes: a batch starts at foldBatchStart responses, grows while batches
// are full and quick (larger batches share more counter rows), and shrinks when one
// is slow or fails, so that a batch that cannot finish within the deadline is never
// tried again as it was.
const (
	foldBatchMin   = 100
	foldBatchStart = 2000
	foldBatchMax   = 100_000
)

// CountState says how far counting has got: figures read now hold every response
// counted by AsOf, and Uncounted more wait in the queue.
type CountState struct {
	AsOf      time.Time // when the last fold batch committed (zero before this process saw one)
	Uncounted int       // responses waiting to be counted or taken out, when last measured
	Oldest    time.Time // when the oldest of them was stored (zero when none wait)
}

// folder runs one fold at a time per process. Whoever wants counts folded asks for a
// flight: the one starting next, since the one at work may have taken its batch before
// the caller's responses were committed. Everyone asking meanwhile shares that next
// flight, and waits for it without holding a database connection.
type folder struct {
	mu            sync.Mutex
	running       bool
	current, next *flight
	limit         int
	state         CountState
	vectorsBuilt  bool
	onBatch       func(n int, d time.Duration) // told the size and duration of every batch
}

// flight is one run of folds until the queue was found empty; done is closed when it
// ends.
type flight struct {
	done  chan struct{}
	total int
	err   error
}

func newFolder() *folder { return &folder{limit: foldBatchStart} }

// request returns the flight that will count everything committed before the call:
// the one starting next, started now when none is at work.
func (f *folder) request(s *Store) *flight {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.running {
		f.running = true
		f.current = &flight{done: make(chan struct{})}
		go f.run(s, f.current)
		return f.current
	}
	if f.next == nil {
		f.next = &flight{done: make(chan struct{})}
	}
	return f.next
}

// run drains the queue for fl, then for the flight asked for meanwhile, if any.
func (f *folder) run(s *Store, fl *flight) {
	for {
		fl.total, fl.err = s.drain()
		f.mu.Lock()
		close(fl.done)
		fl, f.next = f.next, nil
		f.current = fl
		if fl == nil {
			f.running = false
			f.mu.Unlock()
			return
		}
		f.mu.Unlock()
	}
}

// batch is the size of the next fold batch.
func (f *folder) batch() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limit
}

// adapt sizes the next batch from how this one went: a batch should take at most a
// fifth of the deadline. A full batch well within that doubles; a slow one shrinks in
// proportion; a failed one (its deadline passed, or the database refused) shrinks to a
// quarter.
func (f *folder) adapt(limit, taken int, took, deadline time.Duration, err error) {
	target := deadline / 5
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err != nil:
		f.limit = limit / 4
	case took > target:
		f.limit = int(float64(limit) * float64(target) / float64(took))
	case taken >= limit && took < target/2:
		f.limit = limit * 2
	}
	f.limit = min(max(f.limit, foldBatchMin), foldBatchMax)
	if err == nil && f.onBatch != nil {
		f.onBatch(taken, took)
	}
}

// counted notes that a fold batch committed at t.
func (f *folder) counted(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state.AsOf = t
}

func (f *folder) isBuilt() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.vectorsBuilt
}

func (f *folder) built() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.vectorsBuilt = true
}

// CountState returns how far counting had got when last measured, without asking
// the database.
func (s *Store) CountState() CountState {
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	return s.fold.state
}

// ObserveFolds has observe told the size and duration of every fold batch.
func (s *Store) ObserveFolds(observe func(n int, d time.Duration)) {
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	s.fold.onBatch = observe
}

// AwaitCounts asks for a fold of everything committed so far and waits for it, but no
// longer than the read's share of the deadline (a fifth of it) or ctx; then it says how
// far counting got. A read that calls it first answers in time however far counting
// lags, with what is counted, and says so. While it waits it holds no database
// connection; only when the fold did not finish in time does it measure the queue.
func (s *Store) AwaitCounts(ctx context.Context) CountState {
	f := s.fold.request(s)
	wait := time.NewTimer(s.foldWait)
	defer wait.Stop()
	select {
	case <-f.done:
		if f.err == nil {
			return s.CountState()
		}
	case <-wait.C:
	case <-ctx.Done():
	}
	s.MeasureQueue(ctx) // on failure the last measure stands
	return s.CountState()
}

// MeasureQueue measures the counting queue: how many responses wait, and since when
// the oldest of them was stored (response ids are UUIDv7, ordered by time).
func (s *Store) MeasureQueue(ctx context.Context) (err error) {
	defer wrap(&err, "Store.MeasureQueue")
	ctx, cancel := context.WithTimeout(ctx, s.foldWait)
	defer cancel()
	var n int
	var oldest *uuid.UUID
	if err := s.pool.QueryRow(ctx, `/* Store.MeasureQueue */
		SELECT count(*), (SELECT response_id FROM uncounted ORDER BY response_id LIMIT 1) FROM uncounted`).Scan(&n, &oldest); err != nil {
		return err
	}
	var at time.Time
	if oldest != nil {
		sec, nsec := oldest.Time().UnixTime()
		at = time.Unix(sec, nsec)
	}
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	s.fold.state.Uncounted, s.fold.state.Oldest = n, at
	return nil
}
