package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Assignment lets a volunteer enter answers for an area's whole subtree from Starts
// to Ends, both inclusive, as local days (2006-01-02).
type Assignment struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	AreaCode    string    `json:"area"`
	AreaName    string    `json:"area_name"`
	AreaKind    string    `json:"area_kind"`
	AreaPath    string    `json:"-"`
	Starts      string    `json:"starts"`
	Ends        string    `json:"ends"`
	Valid       bool      `json:"valid"` // valid on the day asked about
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewAssignment is what CreateAssignment needs.
type NewAssignment struct {
	UserID       int64
	AreaID       int64
	Starts, Ends time.Time // local days
	CreatedBy    *int64
}

const assignmentSelect = `SELECT s.id, u.username, u.display_name, a.code, a.name, a.kind, a.path,
		to_char(s.starts, 'YYYY-MM-DD'), to_char(s.ends, 'YYYY-MM-DD'), s.starts <= $1::date AND s.ends >= $1::date,
		coalesce(c.username, ''), s.created_at
	FROM assignments s
	JOIN users u ON u.id = s.user_id
	JOIN areas a ON a.id = s.area_id
	LEFT JOIN users c ON c.id = s.created_by`

// CreateAssignment stores an assignment and returns it as valid or not on day.
func (s *Store) CreateAssignment(ctx context.Context, n NewAssignment, day time.Time) (_ Assignment, err error) {
	defer wrap(&err, "Store.CreateAssignment")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var id int64
	err = s.pool.QueryRow(ctx, `/* Store.CreateAssignment */
		INSERT INTO assignments (user_id, area_id, starts, ends, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		n.UserID, n.AreaID, n.Starts.Format(time.DateOnly), n.Ends.Format(time.DateOnly), n.CreatedBy).Scan(&id)
	if err != nil {
		return Assignment{}, err
	}
	return s.assignment(ctx, id, day)
}

// Assignment returns an assignment by id, as valid or not on day; survey.ErrNotFound
// if there is none.
func (s *Store) Assignment(ctx context.Context, id int64, day time.Time) (_ Assignment, err error) {
	defer wrap(&err, "Store.Assignment")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	return s.assignment(ctx, id, day)
}

func (s *Store) assignment(ctx context.Context, id int64, day time.Time) (Assignment, error) {
	rows, _ := s.pool.Query(ctx, `/* Store.Assignment */
		`+assignmentSelect+` WHERE s.id = $2`, day.Format(time.DateOnly), id)
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Assignment])
	return a, notFound(err)
}

// AssignmentFilter narrows the assignments listed.
type AssignmentFilter struct {
	Username  string    // "": every user
	Under     string    // an area path: only assignments to areas in that subtree; "": all
	Day       time.Time // the day Valid is about
	ValidOnly bool      // only the assignments valid on Day
}

// Assignments lists assignments by username, then area code, newest first.
func (s *Store) Assignments(ctx context.Context, f AssignmentFilter) (_ []Assignment, err error) {
	defer wrap(&err, "Store.Assignments")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Assignments */
		`+assignmentSelect+`
		WHERE ($2 = '' OR u.username = $2) AND ($3 = '' OR a.path LIKE $3 || '%')
			AND (NOT $4 OR (s.starts <= $1::date AND s.ends >= $1::date))
		ORDER BY u.username, a.code, s.starts DESC, s.id DESC
		LIMIT 5000`, f.Day.Format(time.DateOnly), f.Username, f.Under, f.ValidOnly)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Assignment])
}

// DeleteAssignment removes an assignment. Returns survey.ErrNotFound if there is none.
func (s *Store) DeleteAssignment(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "Store.DeleteAssignment")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `/* Store.DeleteAssignment */
		DELETE FROM assignments WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		err = notFound(errNoRows)
	}
	return err
}

// Assigned reports whether the user holds an assignment valid on day for an area
// whose subtree contains the area with the given path.
func (s *Store) Assigned(ctx context.Context, userID int64, areaPath string, day time.Time) (ok bool, err error) {
	defer wrap(&err, "Store.Assigned")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	err = s.pool.QueryRow(ctx, `/* Store.Assigned */
		SELECT EXISTS (
			SELECT 1 FROM assignments s JOIN areas a ON a.id = s.area_id
			WHERE s.user_id = $1 AND s.starts <= $3::date AND s.ends >= $3::date
				AND starts_with($2, a.path))`, userID, areaPath, day.Format(time.DateOnly)).Scan(&ok)
	return ok, err
}
