package store

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// foldLock serialises folds across every minyi process sharing the database.
const foldLock = 0x6d696e7969 // "minyi"

// singleQuestions lists, per survey version, the single-choice questions: the answers
// that are counted.
const singleQuestions = `
	SELECT v.id AS version_id, q->>'id' AS question
	FROM survey_versions v, jsonb_array_elements(v.definition->'questions') q
	WHERE q->>'type' = 'single'`

// foldBatch is the most responses one fold transaction counts.
const foldBatch = 20000

// Fold counts stored responses not yet counted into the tallies and rollups, until
// none is left, and returns how many it counted. Submissions only append responses;
// this keeps the write path to one statement and lets many responses share each
// counter update. serve folds every second, and Counts folds before reading, waiting
// for a fold at work, so that figures include every committed response.
func (s *Store) Fold(ctx context.Context) (total int, err error) {
	defer wrap(&err, "Store.Fold")
	for {
		n, err := s.foldOnce(ctx)
		total += n
		if err != nil || n < foldBatch {
			return total, err
		}
	}
}

// foldOnce counts up to foldBatch queued responses, after any fold at work finished.
func (s *Store) foldOnce(ctx context.Context) (int, error) {
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, foldLock); err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRow(ctx, `/* Store.Fold */
		WITH done AS (
			DELETE FROM uncounted
			WHERE response_id IN (SELECT response_id FROM uncounted ORDER BY response_id LIMIT $1)
			RETURNING response_id
		), r AS (
			SELECT x.round_id, x.version_id, x.area_id, x.channel, x.day, x.answers
			FROM responses x JOIN done ON done.response_id = x.id
		), single AS (`+singleQuestions+`
		), counts AS (
			SELECT round_id, area_id, channel, day, '' AS question, '' AS option, count(*)::int AS n
			FROM r GROUP BY 1, 2, 3, 4
			UNION ALL
			SELECT r.round_id, r.area_id, r.channel, r.day, s.question, r.answers->>s.question, count(*)::int
			FROM r JOIN single s ON s.version_id = r.version_id
			WHERE jsonb_typeof(r.answers->s.question) = 'string'
			GROUP BY 1, 2, 3, 4, 5, 6
		), t AS (
			INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
			SELECT * FROM counts ORDER BY 1, 2, 3, 4, 5, 6
			ON CONFLICT (round_id, area_id, channel, day, question, option)
			DO UPDATE SET n = tallies.n + excluded.n
		), u AS (
			-- Every area on the path from the root counts the response: its ancestors
			-- and itself.
			INSERT INTO rollups (round_id, area_id, channel, question, option, n)
			SELECT c.round_id, anc.id, c.channel, c.question, c.option, sum(c.n)
			FROM counts c
			JOIN areas a ON a.id = c.area_id
			CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM a.path), '/')::bigint[]) AS anc(id)
			GROUP BY 1, 2, 3, 4, 5
			ORDER BY 1, 2, 3, 4, 5
			ON CONFLICT (round_id, area_id, channel, question, option)
			DO UPDATE SET n = rollups.n + excluded.n
		)
		SELECT count(*) FROM done`, foldBatch).Scan(&n); err != nil {
		return 0, err
	}
	return n, tx.Commit(ctx)
}

// rebuildRollups recomputes every rollup from the tallies, after the tree changed
// shape. The caller holds an exclusive lock on rollups.
func rebuildRollups(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `/* Store.rebuildRollups */ DELETE FROM rollups`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `/* Store.rebuildRollups insert */
		INSERT INTO rollups (round_id, area_id, channel, question, option, n)
		SELECT t.round_id, anc.id, t.channel, t.question, t.option, sum(t.n)
		FROM tallies t
		JOIN areas a ON a.id = t.area_id
		CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM a.path), '/')::bigint[]) AS anc(id)
		GROUP BY t.round_id, anc.id, t.channel, t.question, t.option`)
	return err
}

// RebuildCounts recomputes every tally and rollup from the stored responses, in one
// pass: after a restore, a bulk load, or any change made to responses outside Submit.
func (s *Store) RebuildCounts(ctx context.Context) (err error) {
	defer wrap(&err, "Store.RebuildCounts")
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	for _, sql := range []string{
		`SELECT pg_advisory_xact_lock(` + strconv.Itoa(foldLock) + `)`,
		`LOCK TABLE rollups, tallies, uncounted IN EXCLUSIVE MODE`,
		`DELETE FROM uncounted`,
		`DELETE FROM tallies`,
		`/* Store.RebuildCounts */
		WITH single AS (` + singleQuestions + `)
		INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
		SELECT round_id, area_id, channel, day, '', '', count(*)
		FROM responses GROUP BY round_id, area_id, channel, day
		UNION ALL
		SELECT r.round_id, r.area_id, r.channel, r.day, s.question, r.answers->>s.question, count(*)
		FROM responses r JOIN single s ON s.version_id = r.version_id
		WHERE jsonb_typeof(r.answers->s.question) = 'string'
		GROUP BY 1, 2, 3, 4, 5, 6`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	if err := rebuildRollups(ctx, tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
