package store

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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

// Submit stores a response and counts its answers in one transaction, so that a nil
// error means committed. A client_id seen before with the same content hash is a
// replay: the first response's id comes back with replayed true and nothing is counted
// again. Returns survey.ErrClientIDReused when the client_id was used for other content
// and survey.ErrDuplicateDevice when the device already answered in this round.
func (s *Store) Submit(ctx context.Context, sub Submission, now time.Time) (id uuid.UUID, replayed bool, err error) {
	defer wrap(&err, "Store.Submit")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	id, err = uuid.NewV7()
	if err != nil {
		return uuid.Nil, false, err
	}
	var device *string
	if sub.DeviceHash != "" {
		device = &sub.DeviceHash
	}
	day := now.In(s.loc).Format(time.DateOnly)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return uuid.Nil, false, err
	}
	defer tx.Rollback(ctx)
	err = tx.QueryRow(ctx, `/* Store.Submit */
		INSERT INTO responses (id, client_id, round_id, version_id, area_id, channel, answers,
			content_hash, device_hash, token_id, started_at, submitted_at, day, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT DO NOTHING
		RETURNING id`,
		id, sub.ClientID, sub.Round.ID, sub.Round.VersionID, sub.AreaID, sub.Channel, sub.Answers,
		sub.ContentHash, device, sub.TokenID, sub.StartedAt, now, day, sub.Demo).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		tx.Rollback(ctx)
		return s.resolveConflict(ctx, sub)
	}
	if err != nil {
		return uuid.Nil, false, err
	}
	questions, options := tallyKeys(sub.Definition, sub.Answers)
	if _, err := tx.Exec(ctx, `/* Store.Submit tallies */
		INSERT INTO tallies (round_id, area_id, channel, day, question, option, n)
		SELECT $1, $2, $3, $4, q, o, 1 FROM unnest($5::text[], $6::text[]) AS t(q, o)
		ON CONFLICT (round_id, area_id, channel, day, question, option)
		DO UPDATE SET n = tallies.n + 1`,
		sub.Round.ID, sub.AreaID, sub.Channel, day, questions, options); err != nil {
		return uuid.Nil, false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return uuid.Nil, false, err
	}
	return id, false, nil
}

// resolveConflict tells a replay from a reused client_id or a second answer from one
// device, after an insert that conflicted.
func (s *Store) resolveConflict(ctx context.Context, sub Submission) (uuid.UUID, bool, error) {
	var id uuid.UUID
	var hash string
	err := s.pool.QueryRow(ctx, `/* Store.resolveConflict */
		SELECT id, content_hash FROM responses WHERE client_id = $1`, sub.ClientID).Scan(&id, &hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return uuid.Nil, false, survey.ErrDuplicateDevice
	case err != nil:
		return uuid.Nil, false, err
	case hash != sub.ContentHash:
		return uuid.Nil, false, survey.ErrClientIDReused
	}
	return id, true, nil
}

// tallyKeys lists the (question, option) pairs a response adds one to: the respondent
// count ("", "") and every single-choice answer, sorted so that concurrent
// transactions lock tally rows in one order.
func tallyKeys(def *survey.Definition, a survey.Answers) (questions, options []string) {
	type key struct{ q, o string }
	keys := []key{{"", ""}}
	for _, q := range def.Questions {
		if v, ok := a[q.ID].(string); ok && q.Type == survey.Single {
			keys = append(keys, key{q.ID, v})
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].q < keys[j].q })
	for _, k := range keys {
		questions = append(questions, k.q)
		options = append(options, k.o)
	}
	return questions, options
}
