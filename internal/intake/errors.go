package intake

import (
	"errors"
	"time"
)

// Errors that refuse an entry; nothing is stored.
var (
	// ErrFormToken: a resident's submission without a valid, unused form token for
	// this survey, area and device.
	ErrFormToken = errors.New("missing, invalid or expired form token")
	// ErrCrossSite: a resident's submission sent from a page of another site.
	ErrCrossSite = errors.New("cross-site submission")
	// ErrSignInRequired: an anonymous submission asked for an entrant's channel.
	ErrSignInRequired = errors.New("door-to-door and paper entries need a signed-in user")
	// ErrNotAssigned: a volunteer entered answers outside a valid assignment.
	ErrNotAssigned = errors.New("not assigned to the area")
	// ErrOutOfScope: the area is excluded from the questionnaire.
	ErrOutOfScope = errors.New("area out of the questionnaire's scope")
)

// FieldError is a field of an entry that cannot be taken as sent.
type FieldError struct {
	Field   string
	Message string // in Chinese, for the user
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// LimitError is a budget spent: Kind names it (ip, form, user), RetryAfter says when
// to come back.
type LimitError struct {
	Kind       string
	RetryAfter time.Duration
}

func (e *LimitError) Error() string { return "rate limited: " + e.Kind }
