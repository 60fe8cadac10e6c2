package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/area"
)

// Counts holds answer counts: question id → option id → responses. Counts[""][""] is
// the number of respondents.
type Counts map[string]map[string]int

// Respondents is the number of responses counted.
func (c Counts) Respondents() int { return c[""][""] }

func (c Counts) add(question, option string, n int) {
	if c[question] == nil {
		c[question] = map[string]int{}
	}
	c[question][option] += n
}

// CountFilter narrows the responses counted.
type CountFilter struct {
	SurveyID string
	RoundID  int64  // 0: every round of the survey
	Channel  string // "": every channel
	From, To *time.Time
}

// Counts returns, for each of the given areas (keyed by id), the answer counts pooled
// over every response in its subtree. Both the rollups (per round) and the daily
// tallies hold each area's whole subtree, so either is a few rows per area and day.
// It reads what is counted (see AwaitCounts).
func (s *Store) Counts(ctx context.Context, areas []area.Area, f CountFilter) (_ map[int64]Counts, err error) {
	defer wrap(&err, "Store.Counts")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	ids := make([]int64, len(areas))
	for i, a := range areas {
		ids[i] = a.ID
	}
	var rows pgx.Rows
	if f.From == nil && f.To == nil {
		rows, err = s.pool.Query(ctx, `/* Store.Counts rollups */
			SELECT r.area_id, r.question, r.option, sum(r.n)
			FROM rollup_counts r JOIN rounds ro ON ro.id = r.round_id
			WHERE r.area_id = ANY($1) AND ro.survey_id = $2
				AND ($3 = 0 OR r.round_id = $3) AND ($4 = '' OR r.channel = $4)
			GROUP BY 1, 2, 3`, ids, f.SurveyID, f.RoundID, f.Channel)
	} else {
		// Planned for the filters given each time: a plan cached for any date range
		// and channel may read every day of every area.
		rows, err = s.pool.Query(ctx, `/* Store.Counts tallies */
			SELECT t.area_id, t.question, t.option, sum(t.n)
			FROM tally_counts t JOIN rounds ro ON ro.id = t.round_id
			WHERE t.area_id = ANY($1) AND ro.survey_id = $2
				AND ($3 = 0 OR t.round_id = $3) AND ($4 = '' OR t.channel = $4)
				AND ($5::date IS NULL OR t.day >= $5::date) AND ($6::date IS NULL OR t.day <= $6::date)
			GROUP BY 1, 2, 3`, pgx.QueryExecModeCacheDescribe, ids, f.SurveyID, f.RoundID, f.Channel, day(f.From), day(f.To))
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Counts{}
	for rows.Next() {
		var id int64
		var question, option string
		var n int
		if err := rows.Scan(&id, &question, &option, &n); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = Counts{}
		}
		out[id].add(question, option, n)
	}
	return out, rows.Err()
}

func day(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.Format(time.DateOnly)
	return &d
}
