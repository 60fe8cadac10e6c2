// Package store keeps minyi's areas, surveys, rounds, tokens and responses in PostgreSQL.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/internal/survey"
)

// Store is the PostgreSQL store. Every method runs under its own deadline.
type Store struct {
	pool    *pgxpool.Pool
	timeout time.Duration
	loc     *time.Location
	// How suggestions are searched; see Suggestions. Tests change them.
	suggestLateral, suggestWindow int
	fold                          *folder
	foldWait                      time.Duration // how long a read waits for counting (AwaitCounts)
	probe                         *probe
}

// New returns a store over pool. Every call is bounded by timeout; calendar days
// (trends, date filters) are counted in loc.
func New(pool *pgxpool.Pool, timeout time.Duration, loc *time.Location) *Store {
	return &Store{pool: pool, timeout: timeout, loc: loc, suggestLateral: lateralAreas, suggestWindow: newestWindow,
		fold: newFolder(), foldWait: timeout / 5, probe: newProbe(pool)}
}

// wrap prefixes a non-nil error with where it came from, keeping sentinel errors
// reachable with errors.Is.
func wrap(err *error, where string) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", where, *err)
	}
}

// notFound maps pgx.ErrNoRows to survey.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return survey.ErrNotFound
	}
	return err
}

func (s *Store) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

var errNoRows = pgx.ErrNoRows
