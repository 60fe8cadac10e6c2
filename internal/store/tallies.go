package store

import (
	"context"
	"strconv"
	"time"

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

// Counts pools the answer counts of every response in the subtree of root. With
// byChildren the result is keyed by the id of root's child whose subtree each response
// lies in (responses attached to root itself are left out); otherwise by root's id.
func (s *Store) Counts(ctx context.Context, root area.Area, byChildren bool, f CountFilter) (_ map[int64]Counts, err error) {
	defer wrap(&err, "Store.Counts")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var from, to *string
	if f.From != nil {
		d := f.From.Format(time.DateOnly)
		from = &d
	}
	if f.To != nil {
		d := f.To.Format(time.DateOnly)
		to = &d
	}
	rows, err := s.pool.Query(ctx, `/* Store.Counts */
		SELECT CASE WHEN $2 THEN split_part(substr(a.path, length($1) + 1), '/', 1) ELSE '' END,
			t.question, t.option, sum(t.n)
		FROM tallies t
		JOIN areas a ON a.id = t.area_id
		JOIN rounds r ON r.id = t.round_id
		WHERE a.path LIKE $1 || '%'
			AND r.survey_id = $3
			AND ($4 = 0 OR t.round_id = $4)
			AND ($5 = '' OR t.channel = $5)
			AND ($6::date IS NULL OR t.day >= $6::date)
			AND ($7::date IS NULL OR t.day <= $7::date)
		GROUP BY 1, 2, 3`,
		root.Path, byChildren, f.SurveyID, f.RoundID, f.Channel, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Counts{}
	for rows.Next() {
		var group, question, option string
		var n int
		if err := rows.Scan(&group, &question, &option, &n); err != nil {
			return nil, err
		}
		id := root.ID
		if byChildren {
			if group == "" {
				continue
			}
			if id, err = strconv.ParseInt(group, 10, 64); err != nil {
				return nil, err
			}
		}
		if out[id] == nil {
			out[id] = Counts{}
		}
		out[id].add(question, option, n)
	}
	return out, rows.Err()
}
