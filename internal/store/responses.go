package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"minyi/internal/survey"
)

// Submission is one validated response ready to be stored.
type Submission struct {
	ClientID    uuid.UUID
	Round       Round
	AreaID      int64
	Channel     survey.Channel
	Answers     survey.Answers
	Definition  *survey.Definition
	ContentHash string
	// DeviceHash is the keyed hash of the resident's device cookie; empty when the
	// one-per-device rule does not apply.
	DeviceHash string
	TokenID    *int64
	StartedAt  *time.Time
	Demo       bool
}

// Outcome is what became of one submission.
type Outcome struct {
	ID       uuid.UUID
	Replayed bool
	Err      error
}

// Submit stores one response; see SubmitBatch.
func (s *Store) Submit(ctx context.Context, sub Submission, now time.Time) (uuid.UUID, bool, error) {
	out := s.SubmitBatch(ctx, []Submission{sub}, now)[0]
	return out.ID, out.Replayed, out.Err
}

// SubmitBatch stores responses in one transaction, so that an outcome without error
// means committed; Fold counts them. A client_id seen before with the same
// content hash is a replay: the first response's id comes back with Replayed true and
// nothing is counted again. Per submission, the error is survey.ErrClientIDReused when
// the client_id was used for other content, survey.ErrDuplicateDevice when the device
// already answered in this round, and survey.ErrNoOpenRound when the round is no
// longer open at now. A failed transaction fails every submission with its error.
func (s *Store) SubmitBatch(ctx context.Context, subs []Submission, now time.Time) []Outcome {
	out := make([]Outcome, len(subs))
	err := s.insertBatch(ctx, subs, now, out)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && !Unavailable(err) && len(subs) > 1 {
		// Two batches waited on each other's unique keys (40P01), or one row was
		// refused (a data exception, class 22): retry one by one, so that one bad
		// submission never fails the others.
		for i := range subs {
			out[i] = s.SubmitBatch(ctx, subs[i:i+1], now)[0]
		}
		return out
	}
	if err != nil {
		for i := range out {
			out[i] = Outcome{Err: wrapErr(err, "Store.SubmitBatch")}
		}
		return out
	}
	for i := range subs {
		if out[i].ID == uuid.Nil {
			out[i] = s.resolveConflict(ctx, subs[i], now)
		}
	}
	return out
}

func wrapErr(err error, where string) error {
	wrap(&err, where)
	return err
}

// insertBatch inserts what it can and fills the ids of the inserted submissions in out.
func (s *Store) insertBatch(ctx context.Context, subs []Submission, now time.Time, out []Outcome) error {
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	// Rows are inserted in client_id order so that concurrent batches take unique-key
	// locks in one order.
	order := make([]int, len(subs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return strings.Compare(subs[a].ClientID.String(), subs[b].ClientID.String())
	})
	day := now.In(s.loc).Format(time.DateOnly)
	n := len(subs)
	var (
		ids, clients      = make([]uuid.UUID, n), make([]uuid.UUID, n)
		rounds, versions  = make([]int64, n), make([]int64, n)
		areas             = make([]int64, n)
		channels, answers = make([]string, n), make([]string, n)
		hashes            = make([]string, n)
		devices           = make([]*string, n)
		tokens            = make([]*int64, n)
		started           = make([]*time.Time, n)
		demo              = make([]bool, n)
		byClient          = map[uuid.UUID]int{}
	)
	for k, i := range order {
		sub := subs[i]
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		body, err := json.Marshal(sub.Answers)
		if err != nil {
			return err
		}
		ids[k], clients[k], rounds[k], versions[k], areas[k] = id, sub.ClientID, sub.Round.ID, sub.Round.VersionID, sub.AreaID
		channels[k], answers[k], hashes[k], tokens[k], started[k], demo[k] = string(sub.Channel), string(body), sub.ContentHash, sub.TokenID, sub.StartedAt, sub.Demo
		if sub.DeviceHash != "" {
			devices[k] = &sub.DeviceHash
		}
		if _, dup := byClient[sub.ClientID]; !dup {
			byClient[sub.ClientID] = i
		}
	}
	// One statement, so one implicit transaction: the responses and their places in
	// the counting queue are stored together or not at all.
	rows, _ := s.pool.Query(ctx, `/* Store.SubmitBatch */
		WITH ins AS (
			INSERT INTO responses (id, client_id, round_id, version_id, area_id, channel, answers,
				content_hash, device_hash, token_id, started_at, submitted_at, day, demo)
			SELECT u.id, u.client_id, u.round_id, u.version_id, u.area_id, u.channel, u.answers::jsonb,
				u.content_hash, u.device_hash, u.token_id, u.started_at, $13, $14, u.demo
			FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
				$7::text[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[], $12::boolean[])
				WITH ORDINALITY AS u(id, client_id, round_id, version_id, area_id, channel, answers,
					content_hash, device_hash, token_id, started_at, demo, ord)
			JOIN rounds r ON r.id = u.round_id
			WHERE r.opened_at <= $13 AND (r.closes_at IS NULL OR r.closes_at > $13)
			ORDER BY u.ord
			ON CONFLICT DO NOTHING
			RETURNING id, client_id
		), queued AS (
			INSERT INTO uncounted (response_id) SELECT id FROM ins
		)
		SELECT id, client_id FROM ins`,
		ids, clients, rounds, versions, areas, channels, answers, hashes, devices, tokens, started, demo,
		now, day)
	inserted, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ ID, ClientID uuid.UUID }])
	if err != nil {
		return err
	}
	for _, r := range inserted {
		out[byClient[r.ClientID]].ID = r.ID
	}
	return nil
}

// resolveConflict tells why a submission was not inserted: a replay, a reused
// client_id, a round closed meanwhile, or a second answer from one device.
func (s *Store) resolveConflict(ctx context.Context, sub Submission, now time.Time) Outcome {
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var id uuid.UUID
	var hash string
	err := s.pool.QueryRow(ctx, `/* Store.resolveConflict */
		SELECT id, content_hash FROM responses WHERE client_id = $1`, sub.ClientID).Scan(&id, &hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return Outcome{Err: wrapErr(err, "Store.resolveConflict")}
	case hash != sub.ContentHash:
		return Outcome{Err: survey.ErrClientIDReused}
	default:
		return Outcome{ID: id, Replayed: true}
	}
	if !sub.Round.Open(now) {
		return Outcome{Err: survey.ErrNoOpenRound}
	}
	var open bool
	err = s.pool.QueryRow(ctx, `/* Store.resolveConflict round */
		SELECT opened_at <= $2 AND (closes_at IS NULL OR closes_at > $2) FROM rounds WHERE id = $1`,
		sub.Round.ID, now).Scan(&open)
	if err != nil {
		return Outcome{Err: wrapErr(notFound(err), "Store.resolveConflict")}
	}
	if !open {
		return Outcome{Err: survey.ErrNoOpenRound}
	}
	return Outcome{Err: survey.ErrDuplicateDevice}
}
