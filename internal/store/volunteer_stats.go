package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// VolunteerDay is what one account entered in a round on one local day, or, with Day
// empty, over the whole round.
type VolunteerDay struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Day         string `json:"day"`
	Entries     int    `json:"entries"`  // door-to-door responses
	Paper       int    `json:"paper"`    // paper questionnaires keyed in
	Flagged     int    `json:"flagged"`  // responses held for review (pending, with flags)
	Burst       int    `json:"burst"`    // of which: entry_burst, beyond the entries allowed in an hour
	Unlisted    int    `json:"unlisted"` // of which: unlisted_household, not on the area's list
	Fast        int    `json:"fast"`     // door-to-door interviews under a minute, by the app's times (not a flag)
	Median      *int   `json:"median_s"` // median interview duration in seconds; nil when unknown
}

// VolunteerStats returns, per account that entered responses in the subtree with the
// given path, its totals for the round followed by one row per day, by username and
// day. A day is the local day the interview ended; an interview lasts from started_at
// to the end on the device (finished_at, else submitted_at).
func (s *Store) VolunteerStats(ctx context.Context, roundID int64, under string) (_ []VolunteerDay, err error) {
	defer wrap(&err, "Store.VolunteerStats")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.VolunteerStats */
		WITH r AS (
			SELECT x.entered_by, x.channel, x.flags, x.started_at, coalesce(x.finished_at, x.submitted_at) AS ended
			FROM responses x JOIN areas a ON a.id = x.area_id
			WHERE x.round_id = $1 AND a.path LIKE $2 || '%' AND x.entered_by IS NOT NULL
		)
		SELECT u.username, u.display_name,
			CASE WHEN grouping(d.day) = 1 THEN '' ELSE to_char(d.day, 'YYYY-MM-DD') END,
			count(*) FILTER (WHERE r.channel = 'volunteer'),
			count(*) FILTER (WHERE r.channel = 'paper'),
			count(*) FILTER (WHERE cardinality(r.flags) > 0),
			count(*) FILTER (WHERE 'entry_burst' = ANY (r.flags)),
			count(*) FILTER (WHERE 'unlisted_household' = ANY (r.flags)),
			count(*) FILTER (WHERE r.channel = 'volunteer' AND r.ended - r.started_at < interval '1 minute'),
			round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.ended - r.started_at))
				FILTER (WHERE r.channel = 'volunteer' AND r.started_at IS NOT NULL))::int
		FROM r
		JOIN users u ON u.id = r.entered_by
		CROSS JOIN LATERAL (SELECT (r.ended AT TIME ZONE $3)::date AS day) d
		GROUP BY GROUPING SETS ((u.username, u.display_name), (u.username, u.display_name, d.day))
		ORDER BY u.username, grouping(d.day) = 0, d.day`, roundID, under, s.loc.String())
	return pgx.CollectRows(rows, pgx.RowToStructByPos[VolunteerDay])
}
