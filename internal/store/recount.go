package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// choiceQuestions lists, per survey version, the single- and multiple-choice
// questions: the answers that are counted.
const choiceQuestions = `
	SELECT v.id AS version_id, q->>'id' AS question, q->>'type' AS type
	FROM survey_versions v, jsonb_array_elements(v.definition->'questions') q
	WHERE q->>'type' IN ('single', 'multi')`

// leafCounts follows a CTE r of responses (id, round_id, version_id, area_id, channel,
// day, submitted_at, answers) with CTEs that count them: counts, per area of answer
// (grouped byte by byte, in the "C" collation of the counters' keys);
// counts_up, the same for every area on the path from the root to it, so that each
// area holds its whole subtree. The empty question counts respondents; a single
// choice counts its option, a multiple choice each option chosen.
const leafCounts = `choice AS (` + choiceQuestions + `
		), counts AS (
			SELECT round_id, area_id, channel COLLATE "C", day, '' COLLATE "C" AS question,
				'' COLLATE "C" AS option, count(*)::int AS n
			FROM r GROUP BY 1, 2, 3, 4
			UNION ALL
			SELECT r.round_id, r.area_id, r.channel COLLATE "C", r.day, s.question COLLATE "C",
				(r.answers->>s.question) COLLATE "C", count(*)::int
			FROM r JOIN choice s ON s.version_id = r.version_id AND s.type = 'single'
			WHERE jsonb_typeof(r.answers->s.question) = 'string'
			GROUP BY 1, 2, 3, 4, 5, 6
			UNION ALL
			SELECT r.round_id, r.area_id, r.channel COLLATE "C", r.day, s.question COLLATE "C",
				o.option COLLATE "C", count(*)::int
			FROM r JOIN choice s ON s.version_id = r.version_id AND s.type = 'multi'
			CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.answers->s.question) = 'array'
				THEN r.answers->s.question END) AS o(option)
			GROUP BY 1, 2, 3, 4, 5, 6
		), counts_up AS (
			SELECT c.round_id, anc.id AS area_id, c.channel, c.day, c.question, c.option, sum(c.n)::int AS n
			FROM counts c
			JOIN areas a ON a.id = c.area_id
			CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM a.path), '/')::bigint[]) AS anc(id)
			GROUP BY 1, 2, 3, 4, 5, 6
		)`

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

// recount recomputes every tally and rollup, in one pass, from the responses already
// counted: after the tree changed shape, or to repair the counts. Responses still
// queued are left to the fold. The caller holds the fold lock.
func recount(ctx context.Context, tx pgx.Tx) error {
	for _, sql := range []string{
		`LOCK TABLE rollups, tallies IN EXCLUSIVE MODE`,
		`DELETE FROM tallies`,
		`DELETE FROM rollups`,
		`/* Store.recount */
		WITH ` + counted + `, ` + leafCounts + `
		INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
		SELECT * FROM counts_up`,
		`/* Store.recount rollups */
		INSERT INTO rollups (round_id, area_id, channel, question, option, n)
		SELECT round_id, area_id, channel, question, option, sum(n)
		FROM tallies GROUP BY 1, 2, 3, 4, 5`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
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

// RebuildCounts recomputes every tally and rollup, and files every suggestion again,
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
