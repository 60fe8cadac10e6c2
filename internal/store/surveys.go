package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/survey"
)

// SurveySummary is one survey as listed by the API.
type SurveySummary struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Version   int    `json:"version"`
	OpenRound *Round `json:"open_round"`
}

// ImportSurvey stores def as the survey's next immutable version. Importing a
// definition identical to an existing version stores nothing and returns that
// version with created false.
func (s *Store) ImportSurvey(ctx context.Context, def *survey.Definition, source []byte) (version int, created bool, err error) {
	defer wrap(&err, "Store.ImportSurvey")
	d := *def
	d.Version = 0
	body, err := json.Marshal(d)
	if err != nil {
		return 0, false, err
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `/* Store.ImportSurvey */
		INSERT INTO surveys (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, d.ID); err != nil {
		return 0, false, err
	}
	// Serialise imports of one survey so version numbers never collide.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM surveys WHERE id = $1 FOR UPDATE`, d.ID); err != nil {
		return 0, false, err
	}
	err = tx.QueryRow(ctx, `/* Store.ImportSurvey existing */
		SELECT version FROM survey_versions WHERE survey_id = $1 AND digest = $2`, d.ID, digest).Scan(&version)
	if err == nil {
		return version, false, nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, err
	}
	err = tx.QueryRow(ctx, `/* Store.ImportSurvey insert */
		INSERT INTO survey_versions (survey_id, version, title, definition, source, digest)
		SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5
		FROM survey_versions WHERE survey_id = $1
		RETURNING version`, d.ID, d.Title, body, string(source), digest).Scan(&version)
	if err != nil {
		return 0, false, err
	}
	return version, true, tx.Commit(ctx)
}

// Definition returns the given version of a survey, or the latest when version is 0.
// Returns survey.ErrNotFound if there is none.
func (s *Store) Definition(ctx context.Context, surveyID string, version int) (_ *survey.Definition, err error) {
	defer wrap(&err, "Store.Definition")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var def survey.Definition
	err = s.pool.QueryRow(ctx, `/* Store.Definition */
		SELECT definition, version FROM survey_versions
		WHERE survey_id = $1 AND ($2 = 0 OR version = $2)
		ORDER BY version DESC LIMIT 1`, surveyID, version).Scan(&def, &def.Version)
	if err != nil {
		return nil, notFound(err)
	}
	return &def, nil
}

// Surveys lists every survey with its latest version and the round open now, if any.
func (s *Store) Surveys(ctx context.Context, now time.Time) (_ []SurveySummary, err error) {
	defer wrap(&err, "Store.Surveys")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Surveys */
		SELECT DISTINCT ON (v.survey_id) v.survey_id, v.title, v.version
		FROM survey_versions v
		ORDER BY v.survey_id, v.version DESC`)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (SurveySummary, error) {
		var sum SurveySummary
		err := row.Scan(&sum.ID, &sum.Title, &sum.Version)
		return sum, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		r, err := s.OpenRound(ctx, list[i].ID, now)
		if err == nil {
			list[i].OpenRound = &r
		} else if !errors.Is(err, survey.ErrNoOpenRound) {
			return nil, err
		}
	}
	return list, nil
}
