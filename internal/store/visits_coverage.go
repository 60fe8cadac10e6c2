package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// CoverageRow is how far the door-to-door visits of a round got in one community (or
// village), or in one building of it. Households counts the listed households, or,
// when the community has no list, the number its area record declares (nil when
// unknown). A household visited but not listed counts as visited all the same.
type CoverageRow struct {
	AreaCode   string `json:"area"`
	AreaName   string `json:"area_name"`
	AreaKind   string `json:"area_kind"`
	Building   string `json:"building"` // "" on the community's own row
	IsBuilding bool   `json:"is_building"`
	Households *int   `json:"households"`
	Listed     int    `json:"listed"`
	Visited    int    `json:"visited"`
	Completed  int    `json:"completed"`
	Refused    int    `json:"refused"`
	NotHome    int    `json:"not_home"`
	Revisit    int    `json:"revisit"`
}

// Coverage returns, for every community of the subtree with the given path, its
// coverage in the round followed by one row per building, by community code and
// building. Buildings are those of the household list, or areas of kind building;
// households of neither are under the building "".
func (s *Store) Coverage(ctx context.Context, roundID int64, under string) (_ []CoverageRow, err error) {
	defer wrap(&err, "Store.Coverage")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Coverage */
		WITH scope AS (
			SELECT a.id, a.kind, a.name, `+communityOf+` AS unit_id
			FROM areas a WHERE a.path LIKE $2 || '%'
		), st AS (
			`+visitStatus+`
		), hh AS (
			SELECT coalesce(h.area_id, st.area_id) AS area_id, h.id IS NOT NULL AS listed,
				coalesce(h.building, '') AS building, st.outcome
			FROM (SELECT h.id, h.area_id, h.key, h.building FROM households h JOIN scope ON scope.id = h.area_id) h
			FULL JOIN st ON st.area_id = h.area_id AND st.household = h.key
		), agg AS (
			SELECT sc.unit_id,
				CASE WHEN grouping(b.name) = 1 THEN NULL ELSE b.name END AS building,
				count(*) FILTER (WHERE hh.listed) AS listed,
				count(*) FILTER (WHERE hh.outcome IS NOT NULL) AS visited,
				count(*) FILTER (WHERE hh.outcome = 'completed') AS completed,
				count(*) FILTER (WHERE hh.outcome = 'refused') AS refused,
				count(*) FILTER (WHERE hh.outcome = 'not_home') AS not_home,
				count(*) FILTER (WHERE hh.outcome = 'revisit') AS revisit
			FROM hh
			JOIN scope sc ON sc.id = hh.area_id
			CROSS JOIN LATERAL (SELECT CASE WHEN hh.building <> '' THEN hh.building
				WHEN sc.kind = 'building' THEN sc.name ELSE '' END AS name) b
			GROUP BY GROUPING SETS ((sc.unit_id), (sc.unit_id, b.name))
		)
		SELECT a.code, a.name, a.kind, coalesce(agg.building, ''), agg.building IS NOT NULL,
			CASE WHEN agg.building IS NOT NULL THEN nullif(agg.listed, 0)
				ELSE coalesce(nullif(agg.listed, 0), a.households) END,
			coalesce(agg.listed, 0), coalesce(agg.visited, 0), coalesce(agg.completed, 0),
			coalesce(agg.refused, 0), coalesce(agg.not_home, 0), coalesce(agg.revisit, 0)
		FROM areas a
		LEFT JOIN agg ON agg.unit_id = a.id
		WHERE a.id IN (SELECT unit_id FROM scope)
			AND (a.kind IN ('community', 'village') OR agg.unit_id IS NOT NULL)
		ORDER BY a.code, agg.building IS NOT NULL, length(agg.building), agg.building`, roundID, under)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[CoverageRow])
}
