package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"
)

// ErrClosed is returned for submissions made after the batcher was closed.
var ErrClosed = errors.New("store: batcher closed")

// Batcher is group commit for submissions: concurrent calls to Submit are gathered
// into one transaction, and each caller hears back only after that transaction
// committed. Under load this turns many small commits, each waiting for its own WAL
// flush, into a few large ones.
type Batcher struct {
	store    *Store
	queue    chan *job
	maxBatch int
	observe  func(n int, d time.Duration)
	wg       sync.WaitGroup
	mu       sync.RWMutex
	closed   bool
}

type job struct {
	sub  Submission
	now  time.Time
	done chan Outcome
}

// NewBatcher starts workers writers, each committing up to maxBatch submissions at a
// time. observe, if not nil, is told the size and duration of every batch.
func NewBatcher(st *Store, workers, maxBatch int, observe func(n int, d time.Duration)) *Batcher {
	b := &Batcher{store: st, queue: make(chan *job, workers*maxBatch), maxBatch: maxBatch, observe: observe}
	for range workers {
		b.wg.Add(1)
		go b.work()
	}
	return b
}

// Submit stores one response, batched with whatever else is waiting; it returns as
// Store.Submit does, once the outcome is known.
func (b *Batcher) Submit(ctx context.Context, sub Submission, now time.Time) (uuid.UUID, bool, error) {
	j := &job{sub: sub, now: now, done: make(chan Outcome, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return uuid.Nil, false, ErrClosed
	}
	select {
	case b.queue <- j:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return uuid.Nil, false, ctx.Err()
	}
	// Once queued, wait for the outcome even if the caller gives up: the answer may
	// be committing, and the client's retry will be recognised as a replay.
	o := <-j.done
	return o.ID, o.Replayed, o.Err
}

// Close stops taking submissions, finishes those queued and stops the workers.
func (b *Batcher) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.queue)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func (b *Batcher) work() {
	defer b.wg.Done()
	batch := make([]*job, 0, b.maxBatch)
	for first := range b.queue {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.maxBatch {
			select {
			case j, ok := <-b.queue:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			default:
				break fill
			}
		}
		b.commit(batch)
	}
}

// commit writes one batch. Submissions of one batch share a clock reading: the
// moment the batch was taken.
func (b *Batcher) commit(batch []*job) {
	start := time.Now()
	subs := make([]Submission, len(batch))
	for i, j := range batch {
		subs[i] = j.sub
	}
	now := batch[len(batch)-1].now
	// The batch outlives any one caller's context, but not the store's deadline.
	out := b.store.SubmitBatch(context.Background(), subs, now)
	for i, j := range batch {
		j.done <- out[i]
	}
	if b.observe != nil {
		b.observe(len(batch), time.Since(start))
	}
}
