package web

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// catalog caches what every form view and submission reads: areas by code for a short
// while, the open round of each survey for a second, and survey versions forever
// (they are immutable). A cached round is only a guess: the insert itself checks that
// the round is still open.
type catalog struct {
	store *store.Store
	now   func() time.Time
	mu    sync.Mutex
	areas map[string]cachedArea
	defs  map[string]*survey.Definition // "survey@version"
	open  map[string]cachedRound
}

type cachedRound struct {
	round   store.Round
	expires time.Time
}

type cachedArea struct {
	area    area.Area
	expires time.Time
}

const (
	areaTTL  = 30 * time.Second
	roundTTL = time.Second
)

func newCatalog(st *store.Store, now func() time.Time) *catalog {
	return &catalog{store: st, now: now, areas: map[string]cachedArea{}, defs: map[string]*survey.Definition{}, open: map[string]cachedRound{}}
}

// Area returns the area with the given code; survey.ErrNotFound if there is none.
func (c *catalog) Area(ctx context.Context, code string) (area.Area, error) {
	c.mu.Lock()
	e, ok := c.areas[code]
	c.mu.Unlock()
	if ok && c.now().Before(e.expires) {
		return e.area, nil
	}
	a, err := c.store.Area(ctx, code)
	if err != nil {
		return a, err
	}
	c.mu.Lock()
	if len(c.areas) > 100000 {
		clear(c.areas)
	}
	c.areas[code] = cachedArea{a, c.now().Add(areaTTL)}
	c.mu.Unlock()
	return a, nil
}

// Definition returns a version of a survey.
func (c *catalog) Definition(ctx context.Context, surveyID string, version int) (*survey.Definition, error) {
	key := surveyID + "@" + strconv.Itoa(version)
	c.mu.Lock()
	d, ok := c.defs[key]
	c.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err := c.store.Definition(ctx, surveyID, version)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.defs[key] = d
	c.mu.Unlock()
	return d, nil
}

// Fielded returns the round of the survey open now and the definition it fields.
func (c *catalog) Fielded(ctx context.Context, surveyID string) (store.Round, *survey.Definition, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.open[surveyID]
	c.mu.Unlock()
	if ok && now.Before(e.expires) && e.round.Open(now) {
		d, err := c.Definition(ctx, surveyID, e.round.Version)
		return e.round, d, err
	}
	r, err := c.store.OpenRound(ctx, surveyID, now)
	if err == nil {
		c.mu.Lock()
		c.open[surveyID] = cachedRound{r, now.Add(roundTTL)}
		c.mu.Unlock()
	}
	if errors.Is(err, survey.ErrNoOpenRound) {
		// An unknown survey is a 404, not a closed one.
		if _, derr := c.Definition(ctx, surveyID, 0); derr != nil {
			return r, nil, derr
		}
	}
	if err != nil {
		return r, nil, err
	}
	d, err := c.Definition(ctx, surveyID, r.Version)
	return r, d, err
}

// ForgetRound drops the cached open round of a survey.
func (c *catalog) ForgetRound(surveyID string) {
	c.mu.Lock()
	delete(c.open, surveyID)
	c.mu.Unlock()
}

// forgetAreas drops every cached area, after the tree or an area changed.
func (c *catalog) forgetAreas() {
	c.mu.Lock()
	clear(c.areas)
	c.mu.Unlock()
}
