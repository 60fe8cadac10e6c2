package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/problem"
)

// problemSelect reads problems as problem.Problem, in its fields' order.
const problemSelect = `SELECT p.id, a.code, a.name, a.path, p.category, p.description, p.source, p.evidence,
		coalesce(p.response_id::text, ''), p.status, p.raised_by, coalesce(u.username, ''), p.raised_at,
		coalesce(un.code, ''), coalesce(un.name, ''), coalesce(un.path, ''), p.assignee, p.due,
		p.assigned_at, p.rectified_at, p.rectify_note, p.closed_at, p.close_note, p.public_note,
		p.contacted, p.satisfied,
		(SELECT count(*)::int FROM problem_photos ph WHERE ph.problem_id = p.id)
	FROM problems p
	JOIN areas a ON a.id = p.area_id
	LEFT JOIN areas un ON un.id = p.unit_id
	LEFT JOIN users u ON u.id = p.raised_by`

// NewProblem is a problem to store as raised.
type NewProblem struct {
	problem.New
	AreaID     int64
	ResponseID string // "" for none
	UserID     *int64
	Username   string
	At         time.Time // zero: now
	Demo       bool
}

// CreateProblem stores a new, open problem and the first line of its log, and
// returns its id. A response id that does not exist is survey.ErrNotFound.
func (s *Store) CreateProblem(ctx context.Context, n NewProblem) (id int64, err error) {
	defer wrap(&err, "Store.CreateProblem")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	at := atOrNow(n.At)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var response *string
		if n.ResponseID != "" {
			response = &n.ResponseID
		}
		err := tx.QueryRow(ctx, `/* Store.CreateProblem */
			INSERT INTO problems (area_id, category, description, source, evidence, response_id, raised_by,
				raised_at, updated_at, demo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id`,
			n.AreaID, n.Category, n.Description, n.Source, n.Evidence, response, n.UserID, at, n.Demo).Scan(&id)
		if err != nil {
			return err
		}
		return logStep(ctx, tx, id, at, problem.Raise, "", problem.Open, n.UserID, n.Username, "", nil)
	})
	return id, err
}

// Problem returns a problem by id, or survey.ErrNotFound.
func (s *Store) Problem(ctx context.Context, id int64) (_ problem.Problem, err error) {
	defer wrap(&err, "Store.Problem")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	return problemByID(ctx, s.pool, id)
}

func problemByID(ctx context.Context, q querier, id int64) (problem.Problem, error) {
	rows, _ := q.Query(ctx, `/* Store.Problem */ `+problemSelect+` WHERE p.id = $1`, id)
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[problem.Problem])
	return p, notFound(err)
}

// ProblemFilter says which problems to list.
type ProblemFilter struct {
	// Path: problems located in this subtree or assigned to a unit in it; "": all.
	Path string
	// UnitPath: only problems assigned to a unit in this subtree; "": any.
	UnitPath string
	Status   problem.Status // "": any
	// Overdue: only problems not closed whose due day is before Today.
	Overdue  bool
	Today    time.Time // the local day, for Overdue and the order
	RaisedBy int64     // only problems this user raised; 0: anyone's
	Limit    int
	Offset   int
}

// Problems lists problems: overdue ones first, then by due day, the newest first
// among the rest.
func (s *Store) Problems(ctx context.Context, f ProblemFilter) (_ []problem.Problem, err error) {
	defer wrap(&err, "Store.Problems")
	if f.Limit <= 0 {
		f.Limit = 200
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Problems */ `+problemSelect+`
		WHERE ($1 = '' OR a.path LIKE $1 || '%' OR un.path LIKE $1 || '%')
			AND ($2 = '' OR un.path LIKE $2 || '%')
			AND ($3 = '' OR p.status = $3)
			AND (NOT $4 OR (p.status <> 'closed' AND p.due < $5::date))
			AND ($6 = 0 OR p.raised_by = $6)
		ORDER BY coalesce(p.status <> 'closed' AND p.due < $5::date, false) DESC, p.status = 'closed', p.due NULLS LAST, p.id DESC
		LIMIT $7 OFFSET $8`,
		f.Path, f.UnitPath, string(f.Status), f.Overdue, f.Today.Format(time.DateOnly), f.RaisedBy, f.Limit, f.Offset)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[problem.Problem])
}

// ProblemFact is what the figures need of a problem, with where it lies.
type ProblemFact struct {
	AreaPath string
	problem.Fact
}

// ProblemFacts returns the facts of the problems located in a subtree, raised on the
// local days from..to (inclusive; zero for no bound).
func (s *Store) ProblemFacts(ctx context.Context, path string, from, to time.Time) (_ []ProblemFact, err error) {
	defer wrap(&err, "Store.ProblemFacts")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var lo, hi *time.Time
	if !from.IsZero() {
		t := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.loc)
		lo = &t
	}
	if !to.IsZero() {
		t := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, s.loc)
		hi = &t
	}
	rows, _ := s.pool.Query(ctx, `/* Store.ProblemFacts */
		SELECT a.path, p.status, p.raised_at, p.due, p.closed_at, p.contacted, p.satisfied
		FROM problems p JOIN areas a ON a.id = p.area_id
		WHERE a.path LIKE $1 || '%' AND ($2::timestamptz IS NULL OR p.raised_at >= $2)
			AND ($3::timestamptz IS NULL OR p.raised_at < $3)`, path, lo, hi)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ProblemFact, error) {
		var f ProblemFact
		err := row.Scan(&f.AreaPath, &f.Status, &f.RaisedAt, &f.Due, &f.ClosedAt, &f.Contacted, &f.Satisfied)
		return f, err
	})
}

// ClosedProblem is what residents may read of a closed problem: nothing that names
// anyone or repeats what a resident wrote.
type ClosedProblem struct {
	Category   string
	PublicNote string
	ClosedAt   time.Time
}

// ClosedProblems lists the latest closed problems located in a subtree, newest first.
func (s *Store) ClosedProblems(ctx context.Context, path string, limit int) (_ []ClosedProblem, err error) {
	defer wrap(&err, "Store.ClosedProblems")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.ClosedProblems */
		SELECT p.category, p.public_note, p.closed_at
		FROM problems p JOIN areas a ON a.id = p.area_id
		WHERE a.path LIKE $1 || '%' AND p.status = 'closed'
		ORDER BY p.closed_at DESC LIMIT $2`, path, limit)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ClosedProblem])
}

// ClearDemoProblems deletes every demo problem with its log, photos and messages.
func (s *Store) ClearDemoProblems(ctx context.Context) (n int, err error) {
	defer wrap(&err, "Store.ClearDemoProblems")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `/* Store.ClearDemoProblems */ DELETE FROM problems WHERE demo`)
	return int(tag.RowsAffected()), err
}

// DemoProblems is the number of demo problems stored.
func (s *Store) DemoProblems(ctx context.Context) (n int, err error) {
	defer wrap(&err, "Store.DemoProblems")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	err = s.pool.QueryRow(ctx, `/* Store.DemoProblems */ SELECT count(*) FROM problems WHERE demo`).Scan(&n)
	return n, err
}

func atOrNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

func detailJSON(d map[string]any) []byte {
	if d == nil {
		return []byte("{}")
	}
	b, err := json.Marshal(d)
	if err != nil {
		return []byte("{}")
	}
	return b
}

// ResponseAreaPath returns the area path of a response, or survey.ErrNotFound: a
// problem raised from a suggestion must lie where the response was answered.
func (s *Store) ResponseAreaPath(ctx context.Context, id string) (path string, err error) {
	defer wrap(&err, "Store.ResponseAreaPath")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	err = s.pool.QueryRow(ctx, `/* Store.ResponseAreaPath */
		SELECT a.path FROM responses r JOIN areas a ON a.id = r.area_id WHERE r.id = $1`, id).Scan(&path)
	return path, notFound(err)
}
