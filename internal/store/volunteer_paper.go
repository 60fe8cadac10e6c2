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
	return s.submitAll(ctx, subs, now, true)
}

// TrySubmitAll is SubmitAll rolled back whatever happens: the outcomes say which
// responses the database would refuse (a household done already), for an import that
// is refused for other reasons and names every error at once.
func (s *Store) TrySubmitAll(ctx context.Context, subs []Submission, now time.Time) (_ []Outcome, err error) {
	defer wrap(&err, "Store.TrySubmitAll")
	return s.submitAll(ctx, subs, now, false)
}

func (s *Store) submitAll(ctx context.Context, subs []Submission, now time.Time, commit bool) ([]Outcome, error) {
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
	if failed || !commit {
		return out, nil
	}
	return out, tx.Commit(ctx)
}
