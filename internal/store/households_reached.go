package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// HouseholdsReached returns, per area of the subtree with the given path, the distinct
// households whose answers were entered (door-to-door or on paper, with a household
// key) and counted in the given rounds. A household answers at most once a round
// (responses_household_idx); its key names one area, so the households of a subtree
// are the sum over its areas.
func (s *Store) HouseholdsReached(ctx context.Context, rounds []int64, under string) (_ map[int64]int, err error) {
	defer wrap(&err, "Store.HouseholdsReached")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.HouseholdsReached */
		SELECT x.area_id, count(DISTINCT x.household_hash)::int
		FROM responses x JOIN areas a ON a.id = x.area_id
		WHERE x.round_id = ANY($1) AND a.path LIKE $2 || '%'
			AND x.household_hash IS NOT NULL AND x.status = 'counted'
		GROUP BY 1`, rounds, under)
	out := map[int64]int{}
	var id int64
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		out[id] = n
		return nil
	})
	return out, err
}
