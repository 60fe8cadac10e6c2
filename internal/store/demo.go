package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"minyi/internal/survey"
)

// InsertPastRound stores a round of the survey, fielding the survey version with the
// given id, that ran from opened to closes, before now: the demo data uses it to have
// an earlier round to compare with. Such a round is created after it closed, which no
// round opened and closed in the ordinary way ever is; ClearDemo relies on that to
// recognise it. Returns survey.ErrConflict when it would overlap another round of the
// survey.
func (s *Store) InsertPastRound(ctx context.Context, surveyID string, versionID int64, name string, opened, closes, now time.Time) (_ Round, err error) {
	defer wrap(&err, "Store.InsertPastRound")
	if !opened.Before(closes) || closes.After(now) {
		return Round{}, errors.New("a past round must open before it closes, and close before now")
	}
	tctx, cancel := s.deadline(ctx)
	defer cancel()
	var id int64
	err = s.pool.QueryRow(tctx, `/* Store.InsertPastRound */
		INSERT INTO rounds (survey_id, version_id, name, opened_at, closes_at, created_at)
		SELECT $1, v.id, $3, $4, $5, $6
		FROM survey_versions v
		WHERE v.id = $2 AND v.survey_id = $1
			AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.survey_id = $1
				AND r.opened_at < $5 AND (r.closes_at IS NULL OR r.closes_at > $4))
		RETURNING id`, surveyID, versionID, name, opened, closes, now).Scan(&id)
	if errors.Is(err, errNoRows) {
		return Round{}, survey.ErrConflict
	}
	if err != nil {
		return Round{}, err
	}
	return s.Round(ctx, surveyID, id)
}

// DemoResponses is the number of demo responses stored.
func (s *Store) DemoResponses(ctx context.Context) (n int, err error) {
	defer wrap(&err, "Store.DemoResponses")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	err = s.pool.QueryRow(ctx, `/* Store.DemoResponses */
		SELECT count(*) FROM responses WHERE demo`).Scan(&n)
	return n, err
}

// ClearDemo deletes every demo response, recounts the figures from the responses
// that remain, and deletes the rounds InsertPastRound made once no response and
// nothing else refers to them. It all happens in one transaction, so figures never
// show a half-cleared state. Like RebuildCounts it scans every response, so it runs
// under the caller's context rather than the per-call deadline.
func (s *Store) ClearDemo(ctx context.Context) (responses, rounds int, err error) {
	defer wrap(&err, "Store.ClearDemo")
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, foldLock); err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(ctx, `/* Store.ClearDemo queue */
		DELETE FROM uncounted u USING responses x WHERE x.id = u.response_id AND x.demo`); err != nil {
		return 0, 0, err
	}
	tag, err := tx.Exec(ctx, `/* Store.ClearDemo */ DELETE FROM responses WHERE demo`)
	if err != nil {
		return 0, 0, err
	}
	responses = int(tag.RowsAffected())
	if err := recount(ctx, tx); err != nil {
		return 0, 0, err
	}
	rows, _ := tx.Query(ctx, `/* Store.ClearDemo rounds */
		SELECT r.id FROM rounds r
		WHERE r.created_at > r.closes_at
			AND NOT EXISTS (SELECT 1 FROM responses x WHERE x.round_id = r.id)`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		// Something else may refer to the round (a volunteer's visit log): keep it then.
		sp, err := tx.Begin(ctx)
		if err != nil {
			return 0, 0, err
		}
		_, err = sp.Exec(ctx, `/* Store.ClearDemo round */ DELETE FROM rounds WHERE id = $1`, id)
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr) && pgErr.Code == "23503": // foreign_key_violation
			if err := sp.Rollback(ctx); err != nil {
				return 0, 0, err
			}
			continue
		case err != nil:
			return 0, 0, err
		}
		if err := sp.Commit(ctx); err != nil {
			return 0, 0, err
		}
		rounds++
	}
	return responses, rounds, tx.Commit(ctx)
}
