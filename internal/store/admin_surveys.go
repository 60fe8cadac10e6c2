package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// SurveyVersion is one stored version of a survey, as the administration lists it.
type SurveyVersion struct {
	SurveyID  string
	Version   int
	Title     string
	CreatedAt time.Time
	Questions int
}

// SurveyVersions lists every version of every survey, by survey, newest version first.
func (s *Store) SurveyVersions(ctx context.Context) (_ []SurveyVersion, err error) {
	defer wrap(&err, "Store.SurveyVersions")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.SurveyVersions */
		SELECT survey_id, version, title, created_at,
			coalesce(jsonb_array_length(definition->'questions'), 0) AS questions
		FROM survey_versions
		ORDER BY survey_id, version DESC`)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[SurveyVersion])
}
