package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// HoldForReview makes stored, not yet counted responses pending with the given
// flags, as the intake does with flagged responses: pending and off the queue.
func (s *Store) HoldForReview(ctx context.Context, flags []string, ids ...uuid.UUID) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `UPDATE responses SET status = 'pending', flags = $1 WHERE id = ANY($2)`, flags, ids); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM uncounted WHERE response_id = ANY($1)`, ids); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// DB is the store's pool, for tests that look at tables directly.
func (s *Store) DB() *pgxpool.Pool { return s.pool }
