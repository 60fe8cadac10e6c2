package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ReviewDecision is one recorded decision on one response, with the status the
// response holds now: a decision is undone by the opposite one while the response
// still holds what the decision made it.
type ReviewDecision struct {
	ID         int64
	ResponseID uuid.UUID
	AreaCode   string
	AreaName   string
	Decision   string // accept or reject
	FromStatus string
	Status     string // the response's status now
	Reason     string
	Username   string // "" when the account is gone
	At         time.Time
}

// ReviewDecisions returns the latest decisions on responses in scope (survey,
// subtree, and round when set; the flag is not applied), newest first, at most limit.
func (s *Store) ReviewDecisions(ctx context.Context, sc ReviewScope, limit int) (_ []ReviewDecision, err error) {
	defer wrap(&err, "Store.ReviewDecisions")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.ReviewDecisions */
		SELECT d.id, d.response_id, a.code, a.name, d.decision, d.from_status, x.status, d.reason,
			coalesce(u.username, ''), d.at
		FROM review_decisions d
		JOIN responses x ON x.id = d.response_id
		JOIN areas a ON a.id = x.area_id
		LEFT JOIN users u ON u.id = d.user_id
		WHERE x.round_id IN (SELECT ro.id FROM rounds ro WHERE ro.survey_id = $1 AND ($2 = 0 OR ro.id = $2))
			AND starts_with(a.path, $3)
		ORDER BY d.id DESC
		LIMIT $4`, sc.SurveyID, sc.RoundID, sc.Path, limit)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ReviewDecision])
}
