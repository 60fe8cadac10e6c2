package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Unlisted returns which of the keys are not on the area's household list; nil when
// the area has no list (then no household is unlisted).
func (s *Store) Unlisted(ctx context.Context, areaID int64, keys []string) (_ map[string]bool, err error) {
	defer wrap(&err, "Store.Unlisted")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Unlisted */
		SELECT k FROM unnest($2::text[]) AS k
		WHERE EXISTS (SELECT 1 FROM households WHERE area_id = $1)
			AND NOT EXISTS (SELECT 1 FROM households h WHERE h.area_id = $1 AND h.key = k)`, areaID, keys)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make(map[string]bool, len(list))
	for _, k := range list {
		out[k] = true
	}
	return out, nil
}

// HouseholdExamples returns, per area that has a household list, the first key of
// its list, to show how the list writes door numbers.
func (s *Store) HouseholdExamples(ctx context.Context, areaIDs []int64) (_ map[int64]string, err error) {
	defer wrap(&err, "Store.HouseholdExamples")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.HouseholdExamples */
		SELECT DISTINCT ON (area_id) area_id, key FROM households
		WHERE area_id = ANY($1)
		ORDER BY area_id, length(building), building, length(unit), unit, length(room), room, key`, areaIDs)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		AreaID int64
		Key    string
	}])
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(list))
	for _, r := range list {
		out[r.AreaID] = r.Key
	}
	return out, nil
}
