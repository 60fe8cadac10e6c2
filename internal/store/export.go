package store

import (
	"context"
	"time"

	"minyi/internal/survey"
)

// Grain is how precisely an export shows when a response came in.
type Grain string

// The grains. A resident's own (qr) answer shows its time; a door-to-door (volunteer
// or paper) answer shows at most its day, since the visit ledger names the household
// and the hour of each visit: with the exact time, a row of answers could be matched
// with a household.
const (
	GrainTime  Grain = "time"  // the exact time
	GrainDay   Grain = "day"   // the local day
	GrainWeek  Grain = "week"  // the week (Monday to Sunday) of the day
	GrainRound Grain = "round" // only the round
)

// MinDoorGroup is the fewest door-to-door answers an export shows under one area,
// channel and day (or week): with fewer, the period widens to the week, then to the
// round, so that no row can be told apart from at least MinDoorGroup-1 others by
// the ledger's households of that period.
const MinDoorGroup = 5

// ExportedResponse is one response as exports list it.
type ExportedResponse struct {
	Grain       Grain
	SubmittedAt time.Time // GrainTime only; zero otherwise
	Period      time.Time // the day (GrainDay) or the week's Monday (GrainWeek); zero otherwise
	AreaCode    string
	AreaName    string
	Channel     survey.Channel
	Answers     survey.Answers
	Status      string // counted, pending (held for review) or rejected
}

// ResponseFilter picks the responses of one round in an area's subtree.
type ResponseFilter struct {
	RoundID  int64
	AreaPath string // the subtree's root path, as area.Area.Path
	Channel  string // "": every channel
	From, To *time.Time
}

// exportTimeout bounds one export. An export streams for as long as the client reads,
// so it gets more than the store's per-call deadline; the request's own deadline still
// applies.
const exportTimeout = 10 * time.Minute

// EachResponse calls fn with every response the filter picks, in time order as far
// as each row's grain shows it (rows of one period in no particular order, rows of a
// whole round last), reading them from the database one at a time: memory does not
// grow with their number. It stops at the first error fn returns and returns it.
//
// The grain of a door-to-door answer depends on how many answers of its area and
// channel its day (or week) has in the whole round, never on the filter; the days of
// the filter pick such an answer by its period, so that filtering reveals no more.
func (s *Store) EachResponse(ctx context.Context, f ResponseFilter, fn func(ExportedResponse) error) (err error) {
	defer wrap(&err, "Store.EachResponse")
	ctx, cancel := context.WithTimeout(ctx, max(exportTimeout, s.timeout))
	defer cancel()
	rows, err := s.pool.Query(ctx, `/* Store.EachResponse */
		WITH picked AS (
			SELECT x.id, x.submitted_at, x.day, x.day - extract(isodow FROM x.day)::int + 1 AS week,
				x.area_id, a.code, a.name, x.channel, x.answers, x.status, x.channel IN ('volunteer', 'paper') AS door
			FROM responses x JOIN areas a ON a.id = x.area_id
			WHERE x.round_id = $1 AND a.path LIKE $2 || '%' AND ($3 = '' OR x.channel = $3)
		), days AS (
			SELECT x.area_id, x.channel, x.day, x.day - extract(isodow FROM x.day)::int + 1 AS week, count(*) AS n
			FROM responses x
			WHERE x.round_id = $1 AND x.channel IN ('volunteer', 'paper')
				AND x.area_id IN (SELECT area_id FROM picked WHERE door)
			GROUP BY x.area_id, x.channel, x.day
		), weeks AS (
			SELECT area_id, channel, week, sum(n) AS n FROM days GROUP BY area_id, channel, week
		), shown AS (
			SELECT p.id, p.submitted_at, p.code, p.name, p.channel, p.answers, p.status,
				CASE WHEN NOT p.door THEN 'time' WHEN d.n >= $6 THEN 'day' WHEN w.n >= $6 THEN 'week' ELSE 'round' END AS grain,
				p.day, p.week
			FROM picked p
			LEFT JOIN days d ON p.door AND d.area_id = p.area_id AND d.channel = p.channel AND d.day = p.day
			LEFT JOIN weeks w ON p.door AND w.area_id = p.area_id AND w.channel = p.channel AND w.week = p.week
		)
		SELECT grain,
			CASE WHEN grain = 'time' THEN submitted_at END,
			CASE grain WHEN 'day' THEN day WHEN 'week' THEN week END,
			code, name, channel, answers, status
		FROM shown
		WHERE ($4::date IS NULL OR grain = 'round' OR CASE WHEN grain = 'week' THEN week + 6 ELSE day END >= $4::date)
			AND ($5::date IS NULL OR grain = 'round' OR CASE WHEN grain = 'week' THEN week ELSE day END <= $5::date)
		ORDER BY CASE grain
				WHEN 'time' THEN submitted_at
				WHEN 'day' THEN day::timestamp AT TIME ZONE $7
				WHEN 'week' THEN week::timestamp AT TIME ZONE $7
				ELSE 'infinity' END,
			md5(id::text)`,
		f.RoundID, f.AreaPath, f.Channel, day(f.From), day(f.To), MinDoorGroup, s.loc.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ExportedResponse
		var at, period *time.Time
		if err := rows.Scan(&r.Grain, &at, &period, &r.AreaCode, &r.AreaName, &r.Channel, &r.Answers, &r.Status); err != nil {
			return err
		}
		if at != nil {
			r.SubmittedAt = *at
		}
		if period != nil {
			r.Period = *period
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
