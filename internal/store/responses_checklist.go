package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ChecklistCount is, for a child area's subtree, how many counted responses of a
// round answered a checklist question (Option "") or chose an option.
type ChecklistCount struct {
	AreaID int64
	Option string
	N      int
}

// ChecklistCounts counts, for each child of the area with the given id, the counted
// responses of a round in its subtree that answered the multiple-choice question,
// and how many chose each option. The counters do not hold how many answered a
// multiple-choice question (a share's base), so this reads the round's responses of
// the subtree: it serves a list officials open now and then, never a headline figure.
func (s *Store) ChecklistCounts(ctx context.Context, parentID, roundID int64, question string) (_ []ChecklistCount, err error) {
	defer wrap(&err, "Store.ChecklistCounts")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.ChecklistCounts */
		WITH x AS (
			SELECT c.id AS area_id, r.answers -> $3 AS picks
			FROM areas c
			JOIN areas xa ON xa.path LIKE c.path || '%'
			JOIN responses r ON r.area_id = xa.id AND r.round_id = $2 AND r.status = 'counted'
			WHERE c.parent_id = $1 AND jsonb_typeof(r.answers -> $3) = 'array'
		)
		SELECT area_id, '', count(*)::int FROM x GROUP BY area_id
		UNION ALL
		SELECT area_id, o, count(*)::int FROM x, jsonb_array_elements_text(picks) o GROUP BY area_id, o`,
		parentID, roundID, question)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ChecklistCount])
}
