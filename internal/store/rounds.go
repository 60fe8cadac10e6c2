package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/survey"
)

// Round is a period in which one version of a survey is fielded.
type Round struct {
	ID       int64      `json:"id"`
	SurveyID string     `json:"survey"`
	Version  int        `json:"version"`
	Name     string     `json:"name"`
	OpenedAt time.Time  `json:"opened_at"`
	ClosesAt *time.Time `json:"closes_at"`
	// VersionID is the survey_versions row the round fields.
	VersionID int64 `json:"-"`
}

// Open reports whether the round accepts responses at now.
func (r Round) Open(now time.Time) bool {
	return !r.OpenedAt.After(now) && (r.ClosesAt == nil || r.ClosesAt.After(now))
}

const roundColumns = `r.id, r.survey_id, v.version, r.name, r.opened_at, r.closes_at, r.version_id`

func (s *Store) rounds(ctx context.Context, where string, args ...any) ([]Round, error) {
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.rounds */
		SELECT `+roundColumns+`
		FROM rounds r JOIN survey_versions v ON v.id = r.version_id
		WHERE `+where+`
		ORDER BY r.opened_at DESC, r.id DESC`, args...)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Round, error) {
		var r Round
		err := row.Scan(&r.ID, &r.SurveyID, &r.Version, &r.Name, &r.OpenedAt, &r.ClosesAt, &r.VersionID)
		return r, err
	})
}

// Rounds lists the rounds of a survey, newest first.
func (s *Store) Rounds(ctx context.Context, surveyID string) (_ []Round, err error) {
	defer wrap(&err, "Store.Rounds")
	return s.rounds(ctx, `r.survey_id = $1`, surveyID)
}

// OpenRound returns the round of the survey open at now. Returns survey.ErrNoOpenRound
// when none is.
func (s *Store) OpenRound(ctx context.Context, surveyID string, now time.Time) (_ Round, err error) {
	defer wrap(&err, "Store.OpenRound")
	rs, err := s.rounds(ctx, `r.survey_id = $1 AND r.opened_at <= $2 AND (r.closes_at IS NULL OR r.closes_at > $2)`, surveyID, now)
	if err != nil {
		return Round{}, err
	}
	if len(rs) == 0 {
		return Round{}, survey.ErrNoOpenRound
	}
	return rs[0], nil
}

// Round returns a round of the survey by id, or survey.ErrNotFound.
func (s *Store) Round(ctx context.Context, surveyID string, id int64) (_ Round, err error) {
	defer wrap(&err, "Store.Round")
	rs, err := s.rounds(ctx, `r.survey_id = $1 AND r.id = $2`, surveyID, id)
	if err != nil {
		return Round{}, err
	}
	if len(rs) == 0 {
		return Round{}, survey.ErrNotFound
	}
	return rs[0], nil
}

// CurrentOrLatestRound returns the round open at now, else the one opened last.
// Returns survey.ErrNotFound if the survey never had a round.
func (s *Store) CurrentOrLatestRound(ctx context.Context, surveyID string, now time.Time) (Round, error) {
	r, err := s.OpenRound(ctx, surveyID, now)
	if !errors.Is(err, survey.ErrNoOpenRound) {
		return r, err
	}
	rs, err := s.rounds(ctx, `r.survey_id = $1 AND r.opened_at <= $2`, surveyID, now)
	if err != nil {
		return Round{}, err
	}
	if len(rs) == 0 {
		return Round{}, survey.ErrNotFound
	}
	return rs[0], nil
}

// StartRound opens a new round of the survey's latest version at now, optionally
// closing by itself at closes. Returns survey.ErrConflict if a round is still open and
// survey.ErrNotFound for an unknown survey.
func (s *Store) StartRound(ctx context.Context, surveyID, name string, closes *time.Time, now time.Time) (_ Round, err error) {
	defer wrap(&err, "Store.StartRound")
	if closes != nil && !closes.After(now) {
		return Round{}, errors.New("the closing time must be in the future")
	}
	tctx, cancel := s.deadline(ctx)
	defer cancel()
	tx, err := s.pool.Begin(tctx)
	if err != nil {
		return Round{}, err
	}
	defer tx.Rollback(tctx)
	var one int
	if err := tx.QueryRow(tctx, `SELECT 1 FROM surveys WHERE id = $1 FOR UPDATE`, surveyID).Scan(&one); err != nil {
		return Round{}, notFound(err)
	}
	var open bool
	if err := tx.QueryRow(tctx, `/* Store.StartRound open */
		SELECT EXISTS (SELECT 1 FROM rounds WHERE survey_id = $1 AND (closes_at IS NULL OR closes_at > $2))`,
		surveyID, now).Scan(&open); err != nil {
		return Round{}, err
	}
	if open {
		return Round{}, survey.ErrConflict
	}
	var id int64
	if err := tx.QueryRow(tctx, `/* Store.StartRound */
		INSERT INTO rounds (survey_id, version_id, name, opened_at, closes_at)
		SELECT $1, id, $2, $3, $4 FROM survey_versions WHERE survey_id = $1
		ORDER BY version DESC LIMIT 1
		RETURNING id`, surveyID, name, now, closes).Scan(&id); err != nil {
		return Round{}, notFound(err)
	}
	if err := tx.Commit(tctx); err != nil {
		return Round{}, err
	}
	return s.Round(ctx, surveyID, id)
}

// CloseRound closes the survey's open round at now. Returns survey.ErrNoOpenRound when
// none is open.
func (s *Store) CloseRound(ctx context.Context, surveyID string, now time.Time) (_ Round, err error) {
	defer wrap(&err, "Store.CloseRound")
	r, err := s.OpenRound(ctx, surveyID, now)
	if err != nil {
		return Round{}, err
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	if _, err := s.pool.Exec(ctx, `/* Store.CloseRound */
		UPDATE rounds SET closes_at = $2 WHERE id = $1`, r.ID, now); err != nil {
		return Round{}, err
	}
	r.ClosesAt = &now
	return r, nil
}

// RoundNames returns the names of a survey's rounds, newest first, for naming the
// next one (survey.DefaultRoundName).
func (s *Store) RoundNames(ctx context.Context, surveyID string) ([]string, error) {
	rounds, err := s.Rounds(ctx, surveyID)
	names := make([]string, len(rounds))
	for i, r := range rounds {
		names[i] = r.Name
	}
	return names, err
}
