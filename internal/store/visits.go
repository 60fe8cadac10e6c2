package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"minyi/internal/household"
	"minyi/internal/survey"
)

// Visit is a visit to a household that ended without a response: refused, not at
// home, or to be visited again. Completed visits are logged with their response (see
// Submission.Household).
type Visit struct {
	ClientID    uuid.UUID
	ContentHash string
	Round       Round
	AreaID      int64
	Household   string
	UserID      int64
	Outcome     household.Outcome
	At          *time.Time // when it happened on the device; nil for now
}

// RecordVisit logs a visit. A client_id seen before with the same content hash is a
// replay: nothing is logged again and replayed is true. Returns
// survey.ErrClientIDReused when the client_id was used for other content and
// survey.ErrNoOpenRound when the round is not open at now.
func (s *Store) RecordVisit(ctx context.Context, v Visit, now time.Time) (replayed bool, err error) {
	defer wrap(&err, "Store.RecordVisit")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	day, hour := s.visitTime(v.At, now)
	var n int
	err = s.pool.QueryRow(ctx, `/* Store.RecordVisit */
		WITH ins AS (
			INSERT INTO visits (client_id, content_hash, round_id, area_id, household, user_id, outcome, day, visited_at)
			SELECT $1, $2, r.id, $4, $5, $6, $7, $8, $9
			FROM rounds r
			WHERE r.id = $3 AND r.opened_at <= $10 AND (r.closes_at IS NULL OR r.closes_at > $10)
			ON CONFLICT (client_id) DO NOTHING
			RETURNING 1
		)
		SELECT count(*) FROM ins`,
		v.ClientID, v.ContentHash, v.Round.ID, v.AreaID, v.Household, v.UserID, v.Outcome, day, hour, now).Scan(&n)
	if err != nil || n == 1 {
		return false, err
	}
	var hash string
	err = s.pool.QueryRow(ctx, `/* Store.RecordVisit replay */
		SELECT content_hash FROM visits WHERE client_id = $1`, v.ClientID).Scan(&hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, survey.ErrNoOpenRound
	case err != nil:
		return false, err
	case hash != v.ContentHash:
		return false, survey.ErrClientIDReused
	}
	return true, nil
}

// visitStatus picks, per area and household of a round, where the household stands:
// completed if any visit completed it, else the outcome of the latest visit. It
// expects $1 to be the round and a CTE or table "scope" of the area ids looked at.
const visitStatus = `SELECT DISTINCT ON (v.area_id, v.household) v.area_id, v.household, v.outcome
	FROM visits v JOIN scope ON scope.id = v.area_id
	WHERE v.round_id = $1
	ORDER BY v.area_id, v.household, v.outcome = 'completed' DESC, v.visited_at DESC,
		array_position(ARRAY['revisit', 'not_home', 'refused'], v.outcome)`

// VisitOutcomes returns, for the given areas, where each visited household stands in
// the round: area id → household key → outcome.
func (s *Store) VisitOutcomes(ctx context.Context, roundID int64, areaIDs []int64) (_ map[int64]map[string]household.Outcome, err error) {
	defer wrap(&err, "Store.VisitOutcomes")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.VisitOutcomes */
		WITH scope AS (SELECT unnest($2::bigint[]) AS id)
		`+visitStatus, roundID, areaIDs)
	type status struct {
		AreaID    int64
		Household string
		Outcome   household.Outcome
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[status])
	if err != nil {
		return nil, err
	}
	out := map[int64]map[string]household.Outcome{}
	for _, st := range list {
		if out[st.AreaID] == nil {
			out[st.AreaID] = map[string]household.Outcome{}
		}
		out[st.AreaID][st.Household] = st.Outcome
	}
	return out, nil
}
