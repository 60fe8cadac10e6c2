package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"minyi/internal/area"
)

// ReviewScope says which responses a review reads or decides: those of a survey whose
// area lies in a subtree, optionally in one round and carrying one flag.
type ReviewScope struct {
	SurveyID string
	Path     string // the subtree's root path ("/1/5/"); every area below it is in scope
	RoundID  int64  // 0: every round of the survey
	Flag     string // "": any flag
}

// PendingResponse is a response held for review, as a reviewer sees it: where, how
// and when it came, and why it was held. It never carries answers, a household or an
// address.
type PendingResponse struct {
	ID          uuid.UUID
	AreaCode    string
	AreaName    string
	Channel     string
	SubmittedAt time.Time
	Flags       []string
}

// PendingGroup is how many pending responses of one area (the area answered for)
// carry one flag. A response with two flags is in two groups.
type PendingGroup struct {
	AreaCode string
	AreaName string
	Flag     string
	N        int
}

// pendingInScope selects the pending responses of a ReviewScope ($1 survey, $2 round
// or 0, $3 path, $4 flag or ""). It names status = 'pending' literally, so that only
// the partial index responses_pending_idx is read: the pending set is small, the
// counted one is not.
const pendingInScope = `
	FROM responses x JOIN areas a ON a.id = x.area_id
	WHERE x.status = 'pending'
		AND x.round_id IN (SELECT ro.id FROM rounds ro WHERE ro.survey_id = $1 AND ($2 = 0 OR ro.id = $2))
		AND starts_with(a.path, $3) AND ($4 = '' OR $4 = ANY(x.flags))`

// PendingResponses returns pending responses in scope, oldest first, skipping offset
// and at most limit, and how many are pending in scope in all.
func (s *Store) PendingResponses(ctx context.Context, sc ReviewScope, offset, limit int) (_ []PendingResponse, total int, err error) {
	defer wrap(&err, "Store.PendingResponses")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	if err := s.pool.QueryRow(ctx, `/* Store.PendingResponses count */
		SELECT count(*)`+pendingInScope, sc.SurveyID, sc.RoundID, sc.Path, sc.Flag).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, _ := s.pool.Query(ctx, `/* Store.PendingResponses */
		SELECT x.id, a.code, a.name, x.channel, x.submitted_at, x.flags`+pendingInScope+`
		ORDER BY x.submitted_at, x.id
		OFFSET $5 LIMIT $6`, sc.SurveyID, sc.RoundID, sc.Path, sc.Flag, offset, limit)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[PendingResponse])
	return list, total, err
}

// PendingGroups counts the pending responses in scope by area answered for and flag,
// areas in code order.
func (s *Store) PendingGroups(ctx context.Context, sc ReviewScope) (_ []PendingGroup, err error) {
	defer wrap(&err, "Store.PendingGroups")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.PendingGroups */
		SELECT p.code, p.name, f.flag, count(*)::int
		FROM (SELECT a.code, a.name, x.flags`+pendingInScope+`) p
		CROSS JOIN LATERAL unnest(p.flags) AS f(flag)
		WHERE $4 = '' OR f.flag = $4
		GROUP BY 1, 2, 3
		ORDER BY 1, 3`, sc.SurveyID, sc.RoundID, sc.Path, sc.Flag)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[PendingGroup])
}

// PendingCounts returns, for each of the given areas (keyed by id; absent when none),
// how many responses of its subtree are pending review under the same filter as
// Counts: survey, round or every round, channel and local days.
func (s *Store) PendingCounts(ctx context.Context, areas []area.Area, f CountFilter) (_ map[int64]int, err error) {
	defer wrap(&err, "Store.PendingCounts")
	ids, paths := make([]int64, len(areas)), make([]string, len(areas))
	for i, a := range areas {
		ids[i], paths[i] = a.ID, a.Path
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.PendingCounts */
		SELECT q.id, count(*)::int
		FROM unnest($1::bigint[], $2::text[]) AS q(id, path)
		JOIN (
			SELECT a.path
			FROM responses x JOIN areas a ON a.id = x.area_id
			WHERE x.status = 'pending'
				AND x.round_id IN (SELECT ro.id FROM rounds ro WHERE ro.survey_id = $3 AND ($4 = 0 OR ro.id = $4))
				AND ($5 = '' OR x.channel = $5)
				AND ($6::date IS NULL OR x.day >= $6::date) AND ($7::date IS NULL OR x.day <= $7::date)
		) p ON starts_with(p.path, q.path)
		GROUP BY q.id`, ids, paths, f.SurveyID, f.RoundID, f.Channel, day(f.From), day(f.To))
	out := map[int64]int{}
	var id int64
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		out[id] = n
		return nil
	})
	return out, err
}

// Decision is a review decision: accept (count) or reject (never count) responses.
type Decision struct {
	// Scope bounds what is decided. Without IDs, every pending response in it is.
	Scope ReviewScope
	// IDs, when set, are the responses decided, whatever their status, as far as they
	// lie in Scope (whose survey may then be "": any survey).
	IDs    []uuid.UUID
	Accept bool
	Reason string
	UserID *int64
}

// decisionTargets select the responses a decision changes ($1 survey, $2 round or 0,
// $3 path, $4 flag or "", $5 the status they move to, and for decisionTargetsByID $9
// the ids).
const (
	decisionTargetsPending = `SELECT x.id, x.status` + pendingInScope + ` AND x.status <> $5`
	decisionTargetsByID    = `SELECT x.id, x.status
		FROM responses x JOIN areas a ON a.id = x.area_id
		WHERE x.id = ANY($9::uuid[]) AND x.status <> $5
			AND x.round_id IN (SELECT ro.id FROM rounds ro WHERE ($1 = '' OR ro.survey_id = $1) AND ($2 = 0 OR ro.id = $2))
			AND starts_with(a.path, $3) AND ($4 = '' OR $4 = ANY(x.flags))`
)

// Decide applies a decision and returns how many responses changed status. In one
// transaction it moves each response to counted (accept) or rejected (reject), queues
// the change of the counters (+1 when a response becomes counted, -1 when a counted
// one is rejected; a pending one rejected was never counted), and records a
// review_decisions row per response changed. A response already in the status asked
// for is left alone. Decisions reverse each other: a rejected response can be
// accepted and an accepted one rejected. Like the fold, it first takes the fold lock,
// so decisions run one at a time and never wait on the fold's queue rows while the
// fold waits on theirs; the next read folds the change, so it counts at once.
func (s *Store) Decide(ctx context.Context, d Decision) (changed int, err error) {
	defer wrap(&err, "Store.Decide")
	to, decision := "rejected", "reject"
	if d.Accept {
		to, decision = "counted", "accept"
	}
	targets := decisionTargetsPending
	args := []any{d.Scope.SurveyID, d.Scope.RoundID, d.Scope.Path, d.Scope.Flag, to, decision, d.Reason, d.UserID}
	if d.IDs != nil {
		targets, args = decisionTargetsByID, append(args, d.IDs)
	}
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
	var zero []uuid.UUID
	if err := tx.QueryRow(ctx, `/* Store.Decide */
		WITH target AS (`+targets+`
		), changed AS (
			UPDATE responses r SET status = $5
			FROM target t WHERE r.id = t.id
			RETURNING r.id, t.status AS from_status
		), queued AS (
			INSERT INTO uncounted (response_id, sign)
			SELECT id, CASE WHEN $5 = 'counted' THEN 1 ELSE -1 END
			FROM changed
			WHERE $5 = 'counted' OR from_status = 'counted'
			ORDER BY id
			ON CONFLICT (response_id) DO UPDATE SET sign = uncounted.sign + excluded.sign
			RETURNING response_id, sign
		), logged AS (
			INSERT INTO review_decisions (response_id, decision, from_status, reason, user_id)
			SELECT id, $6, from_status, $7, $8 FROM changed
		)
		SELECT (SELECT count(*) FROM changed)::int,
			coalesce((SELECT array_agg(response_id) FROM queued WHERE sign = 0), '{}')`, args...,
	).Scan(&changed, &zero); err != nil {
		return 0, err
	}
	if len(zero) > 0 {
		// Decided twice before a fold: the two changes cancel out and leave nothing to count.
		if _, err := tx.Exec(ctx, `/* Store.Decide cancelled */
			DELETE FROM uncounted WHERE response_id = ANY($1) AND sign = 0`, zero); err != nil {
			return 0, err
		}
	}
	return changed, tx.Commit(ctx)
}
