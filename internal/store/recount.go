package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// recountChunk is how many responses the recount reads and counts at a time.
const recountChunk = 5000

// recount rebuilds every counter vector, and the suggestions, from the responses whose
// status is counted, and empties the counting queue: afterwards the counters hold
// exactly the counted responses and nothing is left to fold (a response queued to be
// counted is counted here, one queued to be taken out is not). It reads them in the
// order of their areas, a chunk at a time, through the fold's counting rule
// (countQueued) and adds each chunk as a fold does, so a chunk touches few cells.
// After the tree changed shape, to repair the counts, or after responses were deleted.
// The caller holds the fold lock.
func recount(ctx context.Context, tx pgx.Tx) error {
	for _, sql := range []string{
		`LOCK TABLE tally_vectors, rollup_vectors, suggestions IN EXCLUSIVE MODE`,
		// A response is taken off the queue only as the cursor below counts it: one
		// stored after the cursor's snapshot stays queued for the next fold, so nothing
		// is counted twice or not at all. Queued withdrawals (-1) come from review
		// decisions, which hold the fold lock: their responses are not counted now.
		`/* Store.recount queue */ DELETE FROM uncounted WHERE sign <= 0`,
		`DELETE FROM tally_vectors`,
		`DELETE FROM rollup_vectors`,
		`DELETE FROM counters_built`,
		`INSERT INTO counters_built (built_at) VALUES (now())`,
		// Suggestions are kept by the area answered for, whatever the tree's shape, and
		// may carry follow-up: those of responses still counted stay as they are, the
		// others go, and any missing is filed by the stream below.
		`/* Store.recount suggestions */
		DELETE FROM suggestions g
		WHERE NOT EXISTS (SELECT 1 FROM responses x WHERE x.id = g.response_id AND x.status = 'counted')`,
		`/* Store.recount */
		DECLARE recount NO SCROLL CURSOR FOR
		SELECT x.id, 1, x.round_id, x.version_id, x.area_id, x.channel, x.day, x.submitted_at, x.answers
		FROM responses x
		WHERE x.status = 'counted'
		ORDER BY x.round_id, x.area_id`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	for {
		rows, _ := tx.Query(ctx, fmt.Sprintf(`FETCH %d FROM recount`, recountChunk))
		batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[queued])
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		ids := make([]uuid.UUID, len(batch))
		for i, r := range batch {
			ids[i] = r.ID
		}
		if _, err := tx.Exec(ctx, `/* Store.recount dequeue */
			DELETE FROM uncounted WHERE response_id = ANY($1)`, ids); err != nil {
			return err
		}
		questions, paths, err := foldContext(ctx, tx, batch)
		if err != nil {
			return err
		}
		f := countQueued(batch, questions, paths)
		if err := f.writeCounters(ctx, tx); err != nil {
			return err
		}
		if err := f.writeSuggestions(ctx, tx); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `CLOSE recount`)
	return err
}

// RebuildCounts recomputes every counter vector, and files every suggestion again,
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
