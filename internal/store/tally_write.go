package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"minyi/internal/survey"
)

// tallyKey is one counter: a single-choice answer (or, with empty question and option,
// a respondent) of one round, area, channel and day.
type tallyKey struct {
	round    int64
	area     int64
	channel  string
	day      string
	question string
	option   string
}

// tallies accumulates the counters a batch of responses adds to.
type tallies map[tallyKey]int

func (t tallies) add(sub Submission, day string) {
	k := tallyKey{round: sub.Round.ID, area: sub.AreaID, channel: string(sub.Channel), day: day}
	t[k]++
	for _, q := range sub.Definition.Questions {
		if v, ok := sub.Answers[q.ID].(string); ok && q.Type == survey.Single {
			k.question, k.option = q.ID, v
			t[k]++
		}
	}
}

// save adds the counters in one statement, in key order so that concurrent
// transactions lock tally rows in one order and never deadlock.
func (t tallies) save(ctx context.Context, tx pgx.Tx) error {
	keys := make([]tallyKey, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b tallyKey) int {
		return cmp.Or(cmp.Compare(a.round, b.round), cmp.Compare(a.area, b.area), cmp.Compare(a.channel, b.channel),
			cmp.Compare(a.day, b.day), cmp.Compare(a.question, b.question), cmp.Compare(a.option, b.option))
	})
	n := len(keys)
	rounds, areas, counts := make([]int64, n), make([]int64, n), make([]int32, n)
	channels, days, questions, options := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, k := range keys {
		rounds[i], areas[i], channels[i], days[i], questions[i], options[i], counts[i] =
			k.round, k.area, k.channel, k.day, k.question, k.option, int32(t[k])
	}
	_, err := tx.Exec(ctx, `/* Store.SubmitBatch tallies */
		INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::text[], $6::text[], $7::integer[])
		ON CONFLICT (round_id, area_id, channel, day, question, option)
		DO UPDATE SET n = tallies.n + excluded.n`,
		rounds, areas, channels, days, questions, options, counts)
	if err != nil {
		return err
	}
	// The same counts for the area and each of its ancestors, as the tree stands in
	// this statement's snapshot. An area import locks rollups before it changes the
	// tree, so a count never lands on an ancestor the area no longer has.
	_, err = tx.Exec(ctx, `/* Store.SubmitBatch rollups */
		INSERT INTO rollups (round_id, area_id, channel, question, option, n)
		SELECT t.round_id, anc.id, t.channel, t.question, t.option, sum(t.n)
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::integer[])
			AS t(round_id, area_id, channel, question, option, n)
		JOIN areas a ON a.id = t.area_id
		JOIN areas anc ON a.path LIKE anc.path || '%'
		GROUP BY t.round_id, anc.id, t.channel, t.question, t.option
		ORDER BY t.round_id, anc.id, t.channel, t.question, t.option
		ON CONFLICT (round_id, area_id, channel, question, option)
		DO UPDATE SET n = rollups.n + excluded.n`,
		rounds, areas, channels, questions, options, counts)
	return err
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
		JOIN areas anc ON a.path LIKE anc.path || '%'
		GROUP BY t.round_id, anc.id, t.channel, t.question, t.option`)
	return err
}

// RebuildCounts recomputes every tally and rollup from the stored responses: after a
// restore, a bulk load, or any change made to responses outside Submit.
func (s *Store) RebuildCounts(ctx context.Context) (err error) {
	defer wrap(&err, "Store.RebuildCounts")
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE rollups, tallies IN EXCLUSIVE MODE`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `/* Store.RebuildCounts */ DELETE FROM tallies`); err != nil {
		return err
	}
	// Respondents, then every answer to a single-choice question of the version.
	if _, err := tx.Exec(ctx, `/* Store.RebuildCounts tallies */
		WITH single AS (
			SELECT v.id AS version_id, q->>'id' AS question
			FROM survey_versions v, jsonb_array_elements(v.definition->'questions') q
			WHERE q->>'type' = 'single'
		)
		INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
		SELECT round_id, area_id, channel, day, '', '', count(*)
		FROM responses GROUP BY round_id, area_id, channel, day
		UNION ALL
		SELECT r.round_id, r.area_id, r.channel, r.day, s.question, r.answers->>s.question, count(*)
		FROM responses r JOIN single s ON s.version_id = r.version_id
		WHERE jsonb_typeof(r.answers->s.question) = 'string'
		GROUP BY 1, 2, 3, 4, 5, 6`); err != nil {
		return err
	}
	if err := rebuildRollups(ctx, tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
