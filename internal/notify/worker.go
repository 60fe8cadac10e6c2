package notify

import (
	"context"
	"log/slog"
	"time"

	"minyi/internal/problem"
	"minyi/internal/store"
)

// Worker sends the outbox's messages and queues overdue reminders.
type Worker struct {
	Store *store.Store
	Send  func(context.Context, store.OutboxMessage) error
	Retry store.Retry
	// Overdue makes the overdue reminder of a problem.
	Overdue func(problem.Problem) store.Message
	Log     *slog.Logger
	Loc     *time.Location
	Now     func() time.Time
	// Every is how often the outbox is looked at; overdue problems are looked for
	// every OverdueEvery.
	Every, OverdueEvery time.Duration
	// SendTimeout bounds one delivery, database included.
	SendTimeout time.Duration
}

// Run works until ctx ends. A message being sent when ctx ends is finished first
// (within SendTimeout): stopping never leaves a sent message unmarked.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Every)
	defer t.Stop()
	var looked time.Time
	failing := false
	for {
		now := w.Now()
		if w.Overdue != nil && now.Sub(looked) >= w.OverdueEvery {
			looked = now
			if n, err := w.Store.QueueOverdue(ctx, problem.Day(now, w.Loc), w.Overdue); err != nil && ctx.Err() == nil {
				w.Log.Warn("queueing overdue reminders failed; will retry", "err", err)
			} else if n > 0 {
				w.Log.Info("overdue reminders queued", "n", n)
			}
		}
		err := w.drain(ctx)
		if err != nil && !failing && ctx.Err() == nil {
			w.Log.Warn("sending reminders failed; will retry", "err", err)
		}
		failing = err != nil
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// drain sends every message due now, one at a time, until none is left or ctx ends.
func (w *Worker) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.SendTimeout)
		found, err := w.Store.DeliverNext(dctx, w.Now(), w.send, w.Retry)
		cancel()
		if err != nil || !found {
			return err
		}
	}
	return nil
}

func (w *Worker) send(ctx context.Context, m store.OutboxMessage) error {
	err := w.Send(ctx, m)
	if err != nil {
		w.Log.Warn("reminder not delivered", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1, "err", err)
	}
	return err
}
