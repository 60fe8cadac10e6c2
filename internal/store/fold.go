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

// buildTimeout bounds the fold that builds the counters from every counted response,
// once per database (migration 011): a city's responses take minutes.
const buildTimeout = time.Hour

// Fold counts stored responses not yet counted into the counters, and files their
// free-text answers as suggestions, until none is left, and returns how many it
// counted. Submissions only append responses; this keeps the write path to one
// statement and lets many responses share each counter update. A process runs one
// fold at a time (see folder): Fold joins the fold that starts next, and waits for
// it, however long it takes, unless ctx ends first. A recount (recount.go) streams
// every counted response through the same rule (countQueued).
func (s *Store) Fold(ctx context.Context) (total int, err error) {
	defer wrap(&err, "Store.Fold")
	f := s.fold.request(s)
	select {
	case <-f.done:
		return f.total, f.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// drain folds batch after batch until one takes less than its limit: the queue was
// empty when it was taken. A batch that fails ends the drain, and the next batch is
// smaller (folder.adapt).
func (s *Store) drain() (int, error) {
	total := 0
	for {
		limit := s.fold.batch()
		start := time.Now()
		taken, counted, err := s.foldOnce(limit)
		s.fold.adapt(limit, taken, time.Since(start), s.timeout, err)
		total += counted
		if err != nil {
			return total, err
		}
		s.fold.counted(time.Now())
		s.MeasureQueue(context.Background()) // on failure the last measure stands
		if taken < limit {
			return total, nil
		}
	}
}

// foldOnce counts up to limit queued responses, oldest first, after any fold at work
// in another process finished, and returns how many it took off the queue and how many
// of them it counted. It takes them off the queue and reads them in one statement,
// counts them here (countQueued), and adds the counts and files the suggestions in a
// few more, all in one transaction under its own deadline: the database does no
// per-answer work, and responses of one cell share one counter row.
func (s *Store) foldOnce(limit int) (taken, counted int, err error) {
	timeout := s.timeout
	if !s.fold.isBuilt() {
		timeout = buildTimeout // this fold may have to build the counters first
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, foldLock); err != nil {
		return 0, 0, err
	}
	if !s.fold.isBuilt() {
		// The first fold of this release in the database builds the counter vectors
		// from the responses already counted (migration 011).
		var built bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM counters_built)`).Scan(&built); err != nil {
			return 0, 0, err
		}
		if !built {
			if err := recount(ctx, tx); err != nil {
				return 0, 0, err
			}
		}
	}
	rows, _ := tx.Query(ctx, `/* Store.Fold take */
		WITH done AS (
			DELETE FROM uncounted
			WHERE response_id IN (SELECT response_id FROM uncounted ORDER BY response_id LIMIT $1)
			RETURNING response_id, sign
		)
		SELECT x.id, done.sign, x.round_id, x.version_id, x.area_id, x.channel, x.day, x.submitted_at, x.answers,
			(SELECT count(*) FROM done)
		FROM done JOIN responses x ON x.id = done.response_id
		WHERE done.sign <> 0`, limit)
	var batch []queued
	var r queued
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&r.ID, &r.Sign, &r.RoundID, &r.VersionID, &r.AreaID, &r.Channel,
		&r.Day, &r.SubmittedAt, &r.Answers, &n}, func() error {
		r.Answers = slices.Clone(r.Answers)
		batch = append(batch, r)
		return nil
	}); err != nil {
		return 0, 0, err
	}
	// A take that left only ids of deleted responses (or signs that cancelled out)
	// reads as empty: the next fold goes on.
	taken = n
	if len(batch) > 0 {
		questions, paths, err := foldContext(ctx, tx, batch)
		if err != nil {
			return 0, 0, err
		}
		f := countQueued(batch, questions, paths)
		if err := f.writeCounters(ctx, tx); err != nil {
			return 0, 0, err
		}
		if err := f.writeSuggestions(ctx, tx); err != nil {
			return 0, 0, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, 0, err
	}
	s.fold.built()
	return taken, len(batch), nil
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
	slices.Sort(areas)
	areas = slices.Compact(areas)
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
		FROM areas WHERE id = ANY($1)`, areas)
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

// writeSuggestions files the suggestions, their phone numbers masked by countQueued,
// and withdraws those of responses taken out of the counts. A door-to-door suggestion
// is filed at the time its round opened (migration 013): lists are in time order, and
// its place among residents' own texts would tell when the visit was.
func (f folded) writeSuggestions(ctx context.Context, tx pgx.Tx) error {
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
		keys                []int32 // every text's pieces, one after the other
		los, his            []int32 // where each text's pieces are in keys (1-based, inclusive)
	)
	for _, g := range f.suggestions {
		ids, questions, rounds, areas = append(ids, g.Response), append(questions, g.Question), append(rounds, g.Round), append(areas, g.Area)
		channels, days, at = append(channels, g.Channel), append(days, g.Day), append(at, g.SubmittedAt)
		bodies, phones = append(bodies, g.Body), append(phones, g.Phone)
		los = append(los, int32(len(keys)+1))
		keys = append(keys, pieces(g.Body)...)
		his = append(his, int32(len(keys)))
	}
	_, err := tx.Exec(ctx, `/* Store.Fold suggestions */
		INSERT INTO suggestions (response_id, question, round_id, area_id, channel, day, submitted_at, body, phone, pieces)
		SELECT u.id, u.question, u.round_id, u.area_id, u.channel, u.day,
			CASE WHEN u.channel IN ('volunteer', 'paper') THEN r.opened_at ELSE u.submitted_at END,
			u.body, u.phone, coalesce(($10::integer[])[u.lo:u.hi], '{}')
		FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::date[],
			$7::timestamptz[], $8::text[], $9::text[], $11::integer[], $12::integer[])
			AS u(id, question, round_id, area_id, channel, day, submitted_at, body, phone, lo, hi)
		JOIN rounds r ON r.id = u.round_id
		ON CONFLICT (response_id, question) DO NOTHING`,
		ids, questions, rounds, areas, channels, days, at, bodies, phones, keys, los, his)
	return err
}
