package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/problem"
)

// Message is a markdown message for the group-robot webhook.
type Message struct {
	Kind      string // assigned, overdue
	ProblemID int64
	Title     string
	Body      string
}

// OutboxMessage is a message waiting in the outbox.
type OutboxMessage struct {
	ID       int64
	Kind     string
	Title    string
	Body     string
	Attempts int
}

// enqueue writes a message to the outbox in the caller's transaction: it is sent
// if and only if the step that caused it commits.
func enqueue(ctx context.Context, tx pgx.Tx, m Message, at time.Time) error {
	_, err := tx.Exec(ctx, `/* Store.enqueue */
		INSERT INTO notify_outbox (kind, problem_id, title, body, created_at, next_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, m.Kind, m.ProblemID, m.Title, m.Body, at)
	return err
}

// Retry says when to try a failed message again after attempts tries, or that
// delivery is given up (false).
type Retry func(attempts int) (time.Duration, bool)

// DeliverNext sends the oldest message due at now, if any, and reports whether there
// was one. The message stays locked while send runs, so that two servers never send
// it both; it is marked sent in the same transaction, so that a restart neither loses
// it nor sends it again once the webhook accepted it. A failed send is tried again
// when retry says so, else marked failed.
func (s *Store) DeliverNext(ctx context.Context, now time.Time, send func(context.Context, OutboxMessage) error, retry Retry) (_ bool, err error) {
	defer wrap(&err, "Store.DeliverNext")
	found := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `/* Store.DeliverNext claim */
			SELECT id, kind, title, body, attempts FROM notify_outbox
			WHERE sent_at IS NULL AND failed_at IS NULL AND next_at <= $1
			ORDER BY next_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, now)
		m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[OutboxMessage])
		if err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		}
		found = true
		if sendErr := send(ctx, m); sendErr != nil {
			wait, again := retry(m.Attempts + 1)
			if again {
				_, err = tx.Exec(ctx, `/* Store.DeliverNext retry */
					UPDATE notify_outbox SET attempts = attempts + 1, last_error = left($2, 500), next_at = $3
					WHERE id = $1`, m.ID, sendErr.Error(), now.Add(wait))
			} else {
				_, err = tx.Exec(ctx, `/* Store.DeliverNext give up */
					UPDATE notify_outbox SET attempts = attempts + 1, last_error = left($2, 500), failed_at = $3
					WHERE id = $1`, m.ID, sendErr.Error(), now)
			}
			return err
		}
		_, err = tx.Exec(ctx, `/* Store.DeliverNext sent */
			UPDATE notify_outbox SET attempts = attempts + 1, sent_at = $2, last_error = '' WHERE id = $1`, m.ID, now)
		return err
	})
	return found, err
}

// QueueOverdue queues one overdue message for every problem that is not closed and
// whose due day ended before today but at most a week before (older ones were
// overdue before reminders were set up), unless one was queued for that due day
// already. It returns how many it queued.
func (s *Store) QueueOverdue(ctx context.Context, today time.Time, notify func(problem.Problem) Message) (n int, err error) {
	defer wrap(&err, "Store.QueueOverdue")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `/* Store.QueueOverdue */
			UPDATE problems SET overdue_sent = due
			WHERE status <> 'closed' AND due < $1::date AND due >= $1::date - 7
				AND overdue_sent IS DISTINCT FROM due
			RETURNING id`, today.Format(time.DateOnly))
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, id := range ids {
			p, err := problemByID(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := enqueue(ctx, tx, notify(p), time.Now()); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}
