package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
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

// AnsweredHouseholds returns which of the household hashes have a response in the
// round, each with that response's client id, so that an import can name every
// household already answered before it tries to store anything. SubmitAll still
// refuses them: one may be answered meanwhile.
func (s *Store) AnsweredHouseholds(ctx context.Context, roundID int64, hashes []string) (_ map[string]uuid.UUID, err error) {
	defer wrap(&err, "Store.AnsweredHouseholds")
	if len(hashes) == 0 {
		return nil, nil
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.AnsweredHouseholds */
		SELECT household_hash, client_id FROM responses
		WHERE round_id = $1 AND household_hash = ANY($2::text[])`, roundID, hashes)
	found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		Hash     string
		ClientID uuid.UUID
	}])
	if err != nil {
		return nil, err
	}
	out := make(map[string]uuid.UUID, len(found))
	for _, f := range found {
		out[f.Hash] = f.ClientID
	}
	return out, nil
}
