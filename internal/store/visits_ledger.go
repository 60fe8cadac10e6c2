package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/household"
)

// LedgerRow is one line of the visit ledger (入户台账): a visit, where and by whom.
type LedgerRow struct {
	Day         string            `json:"day"`
	VisitedAt   time.Time         `json:"visited_at"` // to the hour
	Community   string            `json:"community"`  // the 村居 the area lies in, or the area itself
	AreaCode    string            `json:"area"`
	AreaName    string            `json:"area_name"`
	Household   string            `json:"household"`
	Building    string            `json:"building"`
	Unit        string            `json:"unit"`
	Room        string            `json:"room"`
	Username    string            `json:"username"`
	DisplayName string            `json:"display_name"`
	Outcome     household.Outcome `json:"outcome"`
}

// communityOf is the id of the nearest area on a.path, a itself included, that is a
// community or village; a's own id when there is none.
const communityOf = `coalesce((
		SELECT c.id
		FROM unnest(string_to_array(trim(BOTH '/' FROM a.path), '/')::bigint[]) WITH ORDINALITY AS anc(id, n)
		JOIN areas c ON c.id = anc.id
		WHERE c.kind IN ('community', 'village')
		ORDER BY anc.n DESC LIMIT 1), a.id)`

// Ledger returns the visits of a round to households of the subtree with the given
// path, newest first, at most limit of them.
func (s *Store) Ledger(ctx context.Context, roundID int64, under string, limit int) (_ []LedgerRow, err error) {
	defer wrap(&err, "Store.Ledger")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Ledger */
		SELECT to_char(v.day, 'YYYY-MM-DD'), v.visited_at, coalesce(c.name, a.name), a.code, a.name,
			v.household, coalesce(h.building, ''), coalesce(h.unit, ''), coalesce(h.room, ''),
			u.username, u.display_name, v.outcome
		FROM visits v
		JOIN areas a ON a.id = v.area_id
		JOIN users u ON u.id = v.user_id
		LEFT JOIN households h ON h.area_id = v.area_id AND h.key = v.household
		LEFT JOIN areas c ON c.id = `+communityOf+`
		WHERE v.round_id = $1 AND a.path LIKE $2 || '%'
		ORDER BY v.visited_at DESC, coalesce(c.name, a.name), v.household, v.outcome
		LIMIT $3`, roundID, under, limit)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[LedgerRow])
	for i := range list {
		list[i].VisitedAt = list[i].VisitedAt.In(s.loc)
	}
	return list, err
}
