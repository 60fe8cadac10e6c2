package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// SubmitAll stores responses all together or not at all, in one transaction, for
// imports of paper questionnaires. Outcomes are as SubmitBatch's; when any of them
// has an error nothing was stored, replays included.
func (s *Store) SubmitAll(ctx context.Context, subs []Submission, now time.Time) (_ []Outcome, err error) {
	defer wrap(&err, "Store.SubmitAll")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	out := make([]Outcome, len(subs))
	if err := s.insertBatch(ctx, tx, subs, now, out, true); err != nil {
		return nil, err
	}
	failed := false
	for i := range subs {
		if out[i].ID == uuid.Nil {
			out[i] = s.resolveConflict(ctx, tx, subs[i], now)
			failed = failed || out[i].Err != nil
		}
	}
	if failed {
		return out, nil
	}
	return out, tx.Commit(ctx)
}
