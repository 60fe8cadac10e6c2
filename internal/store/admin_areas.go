package store

import (
	"context"

	"minyi/internal/area"
)

// SetAreaHouseholds sets an area's household count (nil: unknown) and whether it is in
// the questionnaire's scope. It returns the area as it was before (which differs only
// in those two fields) and as it is now. Returns survey.ErrNotFound for an unknown code.
func (s *Store) SetAreaHouseholds(ctx context.Context, code string, households *int, inScope bool) (before, after area.Area, err error) {
	defer wrap(&err, "Store.SetAreaHouseholds")
	tctx, cancel := s.deadline(ctx)
	defer cancel()
	var oldHouseholds *int
	var oldInScope bool
	err = s.pool.QueryRow(tctx, `/* Store.SetAreaHouseholds */
		UPDATE areas a SET households = $2, in_scope = $3, updated_at = now()
		FROM (SELECT id, households, in_scope FROM areas WHERE code = $1 FOR UPDATE) old
		WHERE a.id = old.id
		RETURNING old.households, old.in_scope`, code, households, inScope).Scan(&oldHouseholds, &oldInScope)
	if err != nil {
		return area.Area{}, area.Area{}, notFound(err)
	}
	if after, err = s.Area(ctx, code); err != nil {
		return area.Area{}, area.Area{}, err
	}
	before = after
	before.Households, before.InScope = oldHouseholds, oldInScope
	return before, after, nil
}
