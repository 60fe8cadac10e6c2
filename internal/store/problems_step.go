package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/problem"
)

// Step is one step on a problem after it was raised: what it changes, who takes it
// and what message it queues.
type Step struct {
	Action   problem.Action
	UserID   *int64
	Username string
	At       time.Time // zero: now
	Note     string    // for the log
	Detail   map[string]any

	// Assign
	UnitID   int64
	Due      time.Time
	Assignee string
	// Close
	Closing problem.Closing
	// Photo
	Photo *Photo

	// Notify, when set, makes the message queued with the step, from the problem as
	// the step leaves it; nil queues none.
	Notify func(problem.Problem) Message
}

// TakeStep takes a step on a problem in one transaction: it locks the problem,
// checks the step against its status (a *problem.TransitionError when not allowed),
// changes it, logs the step and queues the step's message. It returns the problem as
// the step left it and, for a photo, the photo's id.
func (s *Store) TakeStep(ctx context.Context, id int64, st Step) (_ problem.Problem, photoID int64, err error) {
	defer wrap(&err, "Store.TakeStep")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	at := atOrNow(st.At)
	var out problem.Problem
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var from problem.Status
		err := tx.QueryRow(ctx, `/* Store.TakeStep lock */
			SELECT status FROM problems WHERE id = $1 FOR UPDATE`, id).Scan(&from)
		if err != nil {
			return notFound(err)
		}
		to, err := problem.Next(from, st.Action)
		if err != nil {
			return err
		}
		switch st.Action {
		case problem.Assign:
			_, err = tx.Exec(ctx, `/* Store.TakeStep assign */
				UPDATE problems SET status = $2, unit_id = $3, due = $4, assignee = $5, assigned_at = $6, updated_at = $6
				WHERE id = $1`, id, to, st.UnitID, st.Due.Format(time.DateOnly), st.Assignee, at)
		case problem.Rectify:
			_, err = tx.Exec(ctx, `/* Store.TakeStep rectify */
				UPDATE problems SET status = $2, rectify_note = $3, rectified_at = $4, updated_at = $4
				WHERE id = $1`, id, to, st.Note, at)
		case problem.Close:
			c := st.Closing
			_, err = tx.Exec(ctx, `/* Store.TakeStep close */
				UPDATE problems SET status = $2, close_note = $3, public_note = $4, contacted = $5, satisfied = $6,
					closed_at = $7, updated_at = $7
				WHERE id = $1`, id, to, c.Note, c.PublicNote, c.Contacted, c.Satisfied, at)
		case problem.Reopen:
			_, err = tx.Exec(ctx, `/* Store.TakeStep reopen */
				UPDATE problems SET status = $2, closed_at = NULL, rectified_at = NULL, updated_at = $3
				WHERE id = $1`, id, to, at)
		case problem.Photo:
			photoID, err = addPhoto(ctx, tx, id, from, *st.Photo, st.UserID, at)
			if err == nil {
				_, err = tx.Exec(ctx, `/* Store.TakeStep photo */
					UPDATE problems SET updated_at = $2 WHERE id = $1`, id, at)
			}
		}
		if err != nil {
			return err
		}
		detail := st.Detail
		if photoID != 0 {
			detail = map[string]any{"photo": photoID}
		}
		if err := logStep(ctx, tx, id, at, st.Action, from, to, st.UserID, st.Username, st.Note, detail); err != nil {
			return err
		}
		if out, err = problemByID(ctx, tx, id); err != nil {
			return err
		}
		if st.Notify != nil {
			return enqueue(ctx, tx, st.Notify(out), at)
		}
		return nil
	})
	return out, photoID, err
}
