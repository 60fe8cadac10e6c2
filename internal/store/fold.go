package store

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// foldLock serialises folds across every minyi process sharing the database.
const foldLock = 0x6d696e7969 // "minyi"

// foldBatch is the most responses one fold transaction counts.
const foldBatch = 20000

// Fold counts stored responses not yet counted into the tallies and rollups, and files
// their free-text answers as suggestions, until none is left, and returns how many it
// counted. Submissions only append responses; this keeps the write path to one
// statement and lets many responses share each counter update. serve folds every
// second, and Counts folds before reading, waiting for a fold at work, so that figures
// include every committed response. A recount (recount.go) streams every counted
// response through the same rule (countQueued).
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
// It takes them off the queue and reads them in one statement, counts them here
// (countQueued), and adds the counts and files the suggestions in three more, all in
// one transaction: the database does no per-answer work.
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
	rows, _ := tx.Query(ctx, `/* Store.Fold take */
		WITH done AS (
			DELETE FROM uncounted
			WHERE response_id IN (SELECT response_id FROM uncounted ORDER BY response_id LIMIT $1)
			RETURNING response_id, sign
		)
		SELECT x.id, done.sign, x.round_id, x.version_id, x.area_id, x.channel, x.day, x.submitted_at, x.answers
		FROM done JOIN responses x ON x.id = done.response_id
		WHERE done.sign <> 0`, foldBatch)
	batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[queued])
	if err != nil {
		return 0, err
	}
	if len(batch) == 0 {
		return 0, tx.Commit(ctx) // the queue was empty, or held only ids of deleted responses
	}
	questions, paths, err := foldContext(ctx, tx, batch)
	if err != nil {
		return 0, err
	}
	if err := countQueued(batch, questions, paths).write(ctx, tx); err != nil {
		return 0, err
	}
	return len(batch), tx.Commit(ctx)
}

// foldContext reads what counting a batch needs besides the responses: the questions
// of their survey versions, and the path of every area answered for, as
// the tree is now (a change of the tree waits for the fold lock).
func foldContext(ctx context.Context, tx pgx.Tx, batch []queued) (map[int64]map[string]countedQuestion, map[int64][]int64, error) {
	var versions, areas []int64
	for _, r := range batch {
		if !slices.Contains(versions, r.VersionID) {
			versions = append(versions, r.VersionID)
		}
		areas = append(areas, r.AreaID)
	}
	questions := map[int64]map[string]countedQuestion{}
	rows, _ := tx.Query(ctx, `/* Store.Fold questions */
		SELECT v.id, q->>'id', q->>'type', coalesce(q->>'format', '') = 'phone',
			CASE WHEN v.definition->'resident'->>'question' = q->>'id' THEN v.definition->'resident'->>'option' ELSE '' END
		FROM survey_versions v, jsonb_array_elements(v.definition->'questions') q
		WHERE v.id = ANY($1) AND q->>'type' IN ('single', 'multi', 'text')`, versions)
	var version int64
	var q countedQuestion
	if _, err := pgx.ForEachRow(rows, []any{&version, &q.ID, &q.Type, &q.Phone, &q.Resident}, func() error {
		if questions[version] == nil {
			questions[version] = map[string]countedQuestion{}
		}
		questions[version][q.ID] = q
		return nil
	}); err != nil {
		return nil, nil, err
	}
	paths := map[int64][]int64{}
	rows, _ = tx.Query(ctx, `/* Store.Fold paths */
		SELECT id, string_to_array(trim(BOTH '/' FROM path), '/')::bigint[]
		FROM areas WHERE id IN (SELECT DISTINCT unnest($1::bigint[]))`, areas)
	var id int64
	var path []int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &path}, func() error {
		paths[id] = slices.Clone(path)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	return questions, paths, nil
}

// write adds the counts to the tallies and rollups and files the suggestions.
func (f folded) write(ctx context.Context, tx pgx.Tx) error {
	keys, n := f.tallyRows()
	if _, err := tx.Exec(ctx, `/* Store.Fold tallies */
		INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::text[], $6::text[], $7::int[])
		ON CONFLICT (round_id, area_id, channel, day, question, option)
		DO UPDATE SET n = tallies.n + excluded.n`, columns(keys, true, n)...); err != nil {
		return err
	}
	keys, n = f.rollupRows()
	args := columns(keys, false, n)
	if _, err := tx.Exec(ctx, `/* Store.Fold rollups */
		INSERT INTO rollups (round_id, area_id, channel, question, option, n)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[])
		ON CONFLICT (round_id, area_id, channel, question, option)
		DO UPDATE SET n = rollups.n + excluded.n`, args...); err != nil {
		return err
	}
	if len(f.withdrawn) > 0 {
		if _, err := tx.Exec(ctx, `/* Store.Fold withdrawn suggestions */
			DELETE FROM suggestions WHERE response_id = ANY($1)`, f.withdrawn); err != nil {
			return err
		}
	}
	if len(f.suggestions) == 0 {
		return nil
	}
	var (
		ids                 []uuid.UUID
		questions, channels []string
		bodies, phones      []string
		rounds, areas       []int64
		days, at            []time.Time
	)
	for _, g := range f.suggestions {
		ids, questions, rounds, areas = append(ids, g.Response), append(questions, g.Question), append(rounds, g.Round), append(areas, g.Area)
		channels, days, at = append(channels, g.Channel), append(days, g.Day), append(at, g.SubmittedAt)
		bodies, phones = append(bodies, g.Body), append(phones, g.Phone)
	}
	_, err := tx.Exec(ctx, `/* Store.Fold suggestions */
		INSERT INTO suggestions (response_id, question, round_id, area_id, channel, day, submitted_at, body, phone)
		SELECT id, question, round_id, area_id, channel, day, submitted_at, body, phone
		FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::date[],
			$7::timestamptz[], $8::text[], $9::text[])
			AS u(id, question, round_id, area_id, channel, day, submitted_at, body, phone)
		ON CONFLICT (response_id, question) DO NOTHING`,
		ids, questions, rounds, areas, channels, days, at, bodies, phones)
	return err
}

// columns lays counters out as the arrays of an unnest: round, area, channel, the day
// if withDay, question, option and n.
func columns(keys []tallyKey, withDay bool, n []int32) []any {
	var (
		rounds, areas               = make([]int64, len(keys)), make([]int64, len(keys))
		channels, questions, option = make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
		days                        = make([]time.Time, len(keys))
	)
	for i, k := range keys {
		rounds[i], areas[i], channels[i], days[i], questions[i], option[i] = k.Round, k.Area, k.Channel, k.Day, k.Question, k.Option
	}
	if withDay {
		return []any{rounds, areas, channels, days, questions, option, n}
	}
	return []any{rounds, areas, channels, questions, option, n}
}
