// Package intake takes in responses: from the resident form and its JSON twin, the
// volunteers' app, paper questionnaires keyed in or uploaded as CSV. Every rule that
// decides whether and how a response is stored lives here: channel, scope and
// assignment, one answer per device and per household, limits, form tokens, and the
// flags that hold a response for review instead of counting it. It knows nothing of
// HTTP: the caller says who sends, from where, with what token.
package intake

import (
	"context"
	"net/netip"
	"time"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/config"
	"minyi/internal/keyed"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// Catalog finds areas and the round open now; the web layer's cache is one.
type Catalog interface {
	Area(ctx context.Context, code string) (area.Area, error)
	Fielded(ctx context.Context, surveyID string) (store.Round, *survey.Definition, error)
	// ForgetRound drops what is known of the survey's open round.
	ForgetRound(surveyID string)
}

// Writer stores one response: the store itself, or a store.Batcher.
type Writer interface {
	Submit(ctx context.Context, sub store.Submission, now time.Time) (uuid.UUID, bool, error)
}

// Intake applies the rules. Build it with New; it is safe for concurrent use.
type Intake struct {
	store   *store.Store
	writer  Writer
	catalog Catalog
	limiter *ratelimit.Limiter
	key     keyed.Key
	limits  config.Limits
	flags   config.Flags
	loc     *time.Location
	now     func() time.Time
}

// New returns the intake for cfg. Responses go through writer, and are checked
// against st (assignments, household lists), cat and lim.
func New(cfg config.Config, st *store.Store, writer Writer, cat Catalog, lim *ratelimit.Limiter, now func() time.Time) *Intake {
	return &Intake{store: st, writer: writer, catalog: cat, limiter: lim, key: keyed.New(cfg.Secret),
		limits: cfg.Limits, flags: cfg.Flags, loc: cfg.Location, now: now}
}

// Entrant is a signed-in user entering answers for households (入户) or from paper.
type Entrant struct {
	store.User
	TokenID int64 // the API token used; 0 for a session
}

// Entry is one response as it arrives.
type Entry struct {
	Survey    string
	Area      string // area code
	ClientID  string
	Answers   survey.Submitted
	Channel   survey.Channel // as asked for; "" for the default
	Household string         // as typed; entrants only
	StartedAt *time.Time     // as the client says
	// FinishedAt is when the interview ended on the device, which may be long before
	// an entry queued offline is sent.
	FinishedAt *time.Time

	// Who entered it; nil for a resident.
	Who *Entrant

	// A resident's submission carries these.
	Identity  string // the device's opaque identity, as the form token was issued to
	FormToken string
	ClientIP  netip.Addr
	// Origin and Referer are the request's headers; BaseURL is the service's public
	// URL, whose origin they must name when present.
	Origin, Referer, BaseURL string
}

// Result is what became of an entry: stored (or stored before, for a replay), counted
// or held for review with its flags. A resident is told only that it was stored.
type Result struct {
	ID       uuid.UUID
	Replayed bool
	Flags    []string // empty when counted
	// Round is the open round the entry was taken for, also when it was refused;
	// 0 when the refusal came before the round was found, or there was none.
	Round int64
}

// today is the local calendar day now, at midnight.
func (in *Intake) today() time.Time {
	t := in.now().In(in.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, in.loc)
}
