package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// leafSuggestions follows the same CTE r with the free-text answers to file: one row
// per text question answered (phone numbers excepted), with phone numbers in the text
// and the call-back number the resident left masked.
const leafSuggestions = `texts AS (
			SELECT v.id AS version_id, q->>'id' AS question, coalesce(q->>'format', '') = 'phone' AS phone
			FROM survey_versions v, jsonb_array_elements(v.definition->'questions') q
			WHERE q->>'type' = 'text'
		), said AS (
			SELECT r.id, t.question, r.round_id, r.area_id, r.channel, r.day, r.submitted_at,
				mask_phones(r.answers->>t.question) AS body,
				coalesce((SELECT mask_phones(r.answers->>p.question) FROM texts p
					WHERE p.version_id = r.version_id AND p.phone AND jsonb_typeof(r.answers->p.question) = 'string'
					ORDER BY p.question LIMIT 1), '') AS phone
			FROM r JOIN texts t ON t.version_id = r.version_id AND NOT t.phone
			WHERE jsonb_typeof(r.answers->t.question) = 'string'
		)`

// counted is the CTE r of the responses the counters hold: those counted and not
// waiting in the queue to be added, and those rejected after they were counted and
// waiting there to be taken out.
const counted = `r AS (
			SELECT x.id, x.round_id, x.version_id, x.area_id, x.channel, x.day, x.submitted_at, x.answers
			FROM responses x
			WHERE (x.status = 'counted' AND NOT EXISTS (SELECT 1 FROM uncounted u WHERE u.response_id = x.id AND u.sign > 0))
				OR EXISTS (SELECT 1 FROM uncounted u WHERE u.response_id = x.id AND u.sign < 0)
		)`

// recountChunk is how many responses the recount reads and counts at a time.
const recountChunk = 5000

// recount recomputes every counter vector from the responses already counted: after
// the tree changed shape, or to repair the counts. It reads them in the order of their
// areas, a chunk at a time, through the fold's counting rule (countQueued) and adds
// each chunk as a fold does, so a chunk touches few cells. Responses still queued are
// left to the fold. The caller holds the fold lock.
func recount(ctx context.Context, tx pgx.Tx) error {
	for _, sql := range []string{
		`LOCK TABLE tally_vectors, rollup_vectors IN EXCLUSIVE MODE`,
		`DELETE FROM tally_vectors`,
		`DELETE FROM rollup_vectors`,
		`DELETE FROM counters_built`,
		`INSERT INTO counters_built (built_at) VALUES (now())`,
		`/* Store.recount */
		DECLARE recount NO SCROLL CURSOR FOR
		WITH ` + counted + `
		SELECT id, 1, round_id, version_id, area_id, channel, day, submitted_at, answers
		FROM r ORDER BY round_id, area_id`,
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
		questions, paths, err := foldContext(ctx, tx, batch)
		if err != nil {
			return err
		}
		if err := countQueued(batch, questions, paths).writeCounters(ctx, tx); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `CLOSE recount`)
	return err
}

// refile files the suggestions of the responses already counted again. They are kept
// by the area answered for, not by its place in the tree, so a tree change leaves
// them as they are. The caller holds the fold lock.
func refile(ctx context.Context, tx pgx.Tx) error {
	for _, sql := range []string{
		`LOCK TABLE suggestions IN EXCLUSIVE MODE`,
		`DELETE FROM suggestions`,
		`/* Store.refile */
		WITH ` + counted + `, ` + leafSuggestions + `
		INSERT INTO suggestions (response_id, question, round_id, area_id, channel, day, submitted_at, body, phone)
		SELECT * FROM said`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

// RebuildCounts recomputes every counter vector, and files every suggestion again,
// from the stored responses: after a restore, a bulk load, or any change made to
// responses outside Submit.
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
	if err := refile(ctx, tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
