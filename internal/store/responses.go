package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"minyi/internal/survey"
)

// Submission is one validated response ready to be stored.
type Submission struct {
	ClientID uuid.UUID
	Round    Round
	AreaID   int64
	Channel  survey.Channel
	Answers  survey.Answers
	// Encoded is Answers.Encode(), when the caller has it already; nil otherwise.
	Encoded     []byte
	Definition  *survey.Definition
	ContentHash string
	// DeviceHash is the keyed hash of the resident's device cookie; empty when the
	// one-per-device rule does not apply.
	DeviceHash string
	// HouseholdHash is the keyed hash of the area and household key: one completed
	// response per household per round. Household is the key itself; it goes to the
	// visit log only, never onto the response. Both empty when no household is named.
	HouseholdHash string
	Household     string
	// EnteredBy is the signed-in user who entered the response; nil for residents.
	EnteredBy  *int64
	TokenID    *int64
	StartedAt  *time.Time
	FinishedAt *time.Time // when the interview ended on the device
	Demo       bool
	// Flags say why the response is held for review: a response with flags is stored
	// pending and not counted; one without is counted.
	Flags []string
	// FormNonce is the random part of the form token a resident sent; a token is
	// good for one response. Empty for entries without a token.
	FormNonce string
}

// status is what a submission is stored as: pending with flags, else counted.
func (sub Submission) status() string {
	if len(sub.Flags) > 0 {
		return "pending"
	}
	return "counted"
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
// already answered in this round, survey.ErrDuplicateHousehold when the household
// did, and survey.ErrNoOpenRound when the round is no longer open at now. A failed
// transaction fails every submission with its error. A response that names a
// household is entered in the visit log as completed, in the same statement. A
// response with flags is stored pending and not queued for counting; a form nonce
// used before is survey.ErrFormTokenUsed.
func (s *Store) SubmitBatch(ctx context.Context, subs []Submission, now time.Time) []Outcome {
	out := make([]Outcome, len(subs))
	// Most batches hold no replay and no second answer: they go in with a plain insert,
	// which spares every unique index a look before each row. One that does hold some
	// is refused whole (23505) and goes in again skipping the conflicting rows.
	err := s.insertBatch(ctx, s.pool, subs, now, out, false)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		err = s.insertBatch(ctx, s.pool, subs, now, out, true)
	}
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
			out[i] = s.resolveConflict(ctx, s.pool, subs[i], now)
		}
	}
	return out
}

func wrapErr(err error, where string) error {
	wrap(&err, where)
	return err
}

// querier is what the insert runs on: the pool, or a transaction (SubmitAll).
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// insertBatch inserts the submissions and fills the ids of the inserted ones in out.
// With skipConflicts, a submission that conflicts with a stored response on a unique
// key (client_id, device or household in the round) is left out; without, it fails the
// whole statement with a unique violation.
func (s *Store) insertBatch(ctx context.Context, q querier, subs []Submission, now time.Time, out []Outcome, skipConflicts bool) error {
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
	day := s.localDay(now)
	n := len(subs)
	var (
		ids, clients      = make([]pgtype.UUID, n), make([]pgtype.UUID, n) // binary, without a round trip through text
		rounds, versions  = make([]int64, n), make([]int64, n)
		areas             = make([]int64, n)
		channels, answers = make([]string, n), make([]string, n)
		hashes            = make([]string, n)
		devices           = make([]*string, n)
		tokens            = make([]*int64, n)
		started, finished = make([]*time.Time, n), make([]*time.Time, n)
		demo              = make([]bool, n)
		homeHashes, homes = make([]*string, n), make([]*string, n)
		statuses, flags   = make([]string, n), make([]string, n)
		nonces            = make([]*string, n)
		enteredBy         = make([]*int64, n)
		visitDays         = make([]time.Time, n)
		visitHours        = make([]time.Time, n)
		byClient          = map[uuid.UUID]int{}
	)
	for k, i := range order {
		sub := subs[i]
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		body := sub.Encoded
		if body == nil {
			body = sub.Answers.Encode()
		}
		ids[k], clients[k] = pgtype.UUID{Bytes: id, Valid: true}, pgtype.UUID{Bytes: sub.ClientID, Valid: true}
		rounds[k], versions[k], areas[k] = sub.Round.ID, sub.Round.VersionID, sub.AreaID
		channels[k], answers[k], hashes[k], tokens[k], started[k], demo[k] = string(sub.Channel), string(body), sub.ContentHash, sub.TokenID, sub.StartedAt, sub.Demo
		finished[k], enteredBy[k] = sub.FinishedAt, sub.EnteredBy
		if sub.DeviceHash != "" {
			devices[k] = &sub.DeviceHash
		}
		if sub.HouseholdHash != "" {
			homeHashes[k], homes[k] = &sub.HouseholdHash, &sub.Household
		}
		statuses[k], flags[k] = sub.status(), strings.Join(sub.Flags, ",")
		if sub.FormNonce != "" {
			nonces[k] = &sub.FormNonce
		}
		visitDays[k], visitHours[k] = s.visitTime(sub.FinishedAt, now)
		if _, dup := byClient[sub.ClientID]; !dup {
			byClient[sub.ClientID] = i
		}
	}
	onConflict := ""
	if skipConflicts {
		onConflict = "ON CONFLICT DO NOTHING"
	}
	// One statement, so one implicit transaction: the responses, their places in the
	// counting queue and their households' visits are stored together or not at all.
	rows, _ := q.Query(ctx, `/* Store.SubmitBatch */
		WITH u AS (
			SELECT id, client_id, round_id, version_id, area_id, channel, answers, content_hash, device_hash,
				token_id, started_at, demo, household_hash, household, entered_by, finished_at, visit_day,
				visit_hour, status, flags, form_nonce, ord
			FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
				$7::text[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[], $12::boolean[],
				$15::text[], $16::text[], $17::bigint[], $18::timestamptz[], $19::date[], $20::timestamptz[],
				$21::text[], $22::text[], $23::text[])
				WITH ORDINALITY AS u(id, client_id, round_id, version_id, area_id, channel, answers,
					content_hash, device_hash, token_id, started_at, demo,
					household_hash, household, entered_by, finished_at, visit_day, visit_hour,
					status, flags, form_nonce, ord)
		), ins AS (
			INSERT INTO responses (id, client_id, round_id, version_id, area_id, channel, answers,
				content_hash, device_hash, token_id, started_at, submitted_at, day, demo,
				household_hash, entered_by, finished_at, status, flags, form_nonce)
			SELECT u.id, u.client_id, u.round_id, u.version_id, u.area_id, u.channel, u.answers::jsonb,
				u.content_hash, u.device_hash, u.token_id, u.started_at, $13, $14, u.demo,
				u.household_hash, u.entered_by, u.finished_at, u.status,
				coalesce(string_to_array(nullif(u.flags, ''), ','), '{}'), u.form_nonce
			FROM u
			JOIN rounds r ON r.id = u.round_id
			WHERE r.opened_at <= $13 AND (r.closes_at IS NULL OR r.closes_at > $13)
			ORDER BY u.ord
			`+onConflict+`
			RETURNING id, client_id, status
		), queued AS (
			INSERT INTO uncounted (response_id) SELECT id FROM ins WHERE status = 'counted'
		), visited AS (
			INSERT INTO visits (round_id, area_id, household, user_id, outcome, day, visited_at)
			SELECT DISTINCT ON (u.client_id) u.round_id, u.area_id, u.household, u.entered_by, 'completed',
				u.visit_day, u.visit_hour
			FROM ins JOIN u ON u.client_id = ins.client_id
			WHERE u.household IS NOT NULL AND u.entered_by IS NOT NULL
			ORDER BY u.client_id, u.ord
		)
		SELECT id, client_id FROM ins`,
		ids, clients, rounds, versions, areas, channels, answers, hashes, devices, tokens, started, demo,
		now, day, homeHashes, homes, enteredBy, finished, visitDays, visitHours, statuses, flags, nonces)
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
// client_id, a round closed meanwhile, a form token used before, or a second answer
// from one device or for one household.
func (s *Store) resolveConflict(ctx context.Context, q querier, sub Submission, now time.Time) Outcome {
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var id uuid.UUID
	var hash string
	err := q.QueryRow(ctx, `/* Store.resolveConflict */
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
	err = q.QueryRow(ctx, `/* Store.resolveConflict round */
		SELECT opened_at <= $2 AND (closes_at IS NULL OR closes_at > $2) FROM rounds WHERE id = $1`,
		sub.Round.ID, now).Scan(&open)
	if err != nil {
		return Outcome{Err: wrapErr(notFound(err), "Store.resolveConflict")}
	}
	if !open {
		return Outcome{Err: survey.ErrNoOpenRound}
	}
	if sub.FormNonce != "" {
		var used bool
		err = q.QueryRow(ctx, `/* Store.resolveConflict nonce */
			SELECT EXISTS (SELECT 1 FROM responses WHERE form_nonce = $1)`, sub.FormNonce).Scan(&used)
		if err != nil {
			return Outcome{Err: wrapErr(err, "Store.resolveConflict")}
		}
		if used {
			return Outcome{Err: survey.ErrFormTokenUsed}
		}
	}
	// A signed-in entry has no device hash: its only other unique key is the household.
	if sub.HouseholdHash != "" {
		return Outcome{Err: survey.ErrDuplicateHousehold}
	}
	return Outcome{Err: survey.ErrDuplicateDevice}
}
