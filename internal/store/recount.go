package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// recountBatch is how many responses the recount reads and counts at a time.
const recountBatch = foldBatch

// recount rebuilds every tally and rollup, and the suggestions, from the responses
// whose status is counted, streaming them in id order through the fold's own rule (countQueued),
// and empties the counting queue: afterwards the counters hold exactly the counted
// responses and nothing is left to fold. After the tree changed shape, to repair the
// counts, or after responses were deleted. The caller holds the fold lock.
func recount(ctx context.Context, tx pgx.Tx) error {
	for _, sql := range []string{
		`LOCK TABLE rollups, tallies, suggestions IN EXCLUSIVE MODE`,
		`/* Store.recount queue */ DELETE FROM uncounted`,
		`/* Store.recount tallies */ DELETE FROM tallies`,
		`/* Store.recount rollups */ DELETE FROM rollups`,
		// Suggestions are kept by the area answered for, whatever the tree's shape, and
		// may carry follow-up: those of responses still counted stay as they are, the
		// others go, and any missing is filed by the stream below.
		`/* Store.recount suggestions */
		DELETE FROM suggestions g
		WHERE NOT EXISTS (SELECT 1 FROM responses x WHERE x.id = g.response_id AND x.status = 'counted')`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	var after uuid.UUID // the nil UUID sorts first
	for {
		rows, _ := tx.Query(ctx, `/* Store.recount responses */
			SELECT x.id, 1, x.round_id, x.version_id, x.area_id, x.channel, x.day, x.submitted_at, x.answers
			FROM responses x
			WHERE x.status = 'counted' AND x.id > $1
			ORDER BY x.id
			LIMIT $2`, after, recountBatch)
		batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[queued])
		if err != nil || len(batch) == 0 {
			return err
		}
		questions, paths, err := foldContext(ctx, tx, batch)
		if err != nil {
			return err
		}
		if err := countQueued(batch, questions, paths).write(ctx, tx); err != nil {
			return err
		}
		if len(batch) < recountBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// RebuildCounts recomputes every tally and rollup, and files every suggestion again,
// from the stored responses whose status is counted: after a restore, a bulk load, or
// any change made to responses outside Submit and review.
func (s *Store) RebuildCounts(ctx context.Context) (err error) {
	defer wrap(&err, "Store.RebuildCounts")
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, foldLock); err != nil {
		return err
	}
	if err := recount(ctx, tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
