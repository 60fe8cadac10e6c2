package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// piecesBatch is how many texts without pieces FillPieces gives pieces at a time.
const piecesBatch = 2000

// FillPieces computes the search pieces of up to piecesBatch suggestions filed without
// them (before migration 012, or by an older binary), files the door-to-door ones among
// them at their round's opening as the fold does, and returns how many it filled.
// minyi serve calls it after each background fold, apart from the fold that reads
// wait for.
func (s *Store) FillPieces(ctx context.Context) (_ int, err error) {
	defer wrap(&err, "Store.FillPieces")
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	rows, _ := tx.Query(ctx, `/* Store.FillPieces read */
		SELECT response_id, question, body FROM suggestions
		WHERE pieces IS NULL
		LIMIT $1 FOR UPDATE SKIP LOCKED`, piecesBatch)
	var (
		ids       []uuid.UUID
		questions []string
		keys      []int32
		los, his  []int32
		id        uuid.UUID
		q, body   string
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &q, &body}, func() error {
		ids, questions = append(ids, id), append(questions, q)
		los = append(los, int32(len(keys)+1))
		keys = append(keys, pieces(body)...)
		his = append(his, int32(len(keys)))
		return nil
	}); err != nil || len(ids) == 0 {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `/* Store.FillPieces */
		UPDATE suggestions g SET pieces = coalesce(($3::integer[])[u.lo:u.hi], '{}'),
			submitted_at = CASE WHEN g.channel IN ('volunteer', 'paper') THEN r.opened_at ELSE g.submitted_at END
		FROM unnest($1::uuid[], $2::text[], $4::integer[], $5::integer[]) AS u(id, question, lo, hi), rounds r
		WHERE g.response_id = u.id AND g.question = u.question AND r.id = g.round_id`, ids, questions, keys, los, his); err != nil {
		return 0, err
	}
	return len(ids), tx.Commit(ctx)
}
