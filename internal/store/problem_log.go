package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/problem"
)

// ProblemLogEntry is one step in the log of a problem.
type ProblemLogEntry struct {
	At       time.Time
	Action   problem.Action
	From     problem.Status
	To       problem.Status
	Username string
	Note     string
}

// logStep appends a step to a problem's log.
func logStep(ctx context.Context, tx pgx.Tx, id int64, at time.Time, a problem.Action, from, to problem.Status,
	userID *int64, username, note string, detail map[string]any) error {
	_, err := tx.Exec(ctx, `/* Store.logStep */
		INSERT INTO problem_log (problem_id, at, action, from_status, to_status, user_id, username, note, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, at, a, from, to, userID, username, note, detailJSON(detail))
	return err
}

// ProblemLog returns the steps of a problem, oldest first.
func (s *Store) ProblemLog(ctx context.Context, id int64) (_ []ProblemLogEntry, err error) {
	defer wrap(&err, "Store.ProblemLog")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.ProblemLog */
		SELECT at, action, from_status, to_status, username, note
		FROM problem_log WHERE problem_id = $1 ORDER BY at, id`, id)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ProblemLogEntry])
}
