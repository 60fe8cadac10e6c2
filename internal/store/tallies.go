package store

import (
	"context"
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

// Counts returns, for each of the given areas (keyed by id), the answer counts pooled
// over every response in its subtree that the filter keeps: Cells, summed.
func (s *Store) Counts(ctx context.Context, areas []area.Area, f CountFilter) (map[int64]Counts, error) {
	q := CellQuery{SurveyID: f.SurveyID, Channel: f.Channel, From: f.From, To: f.To}
	for _, a := range areas {
		q.Areas = append(q.Areas, a.ID)
	}
	if f.RoundID != 0 {
		q.Rounds = []int64{f.RoundID}
	}
	cells, err := s.Cells(ctx, q)
	if err != nil {
		return nil, err
	}
	out := map[int64]Counts{}
	for _, a := range areas {
		if c := cells.Sum(a.ID, "", nil); len(c) > 0 {
			out[a.ID] = c
		}
	}
	return out, nil
}

func day(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.Format(time.DateOnly)
	return &d
}

// Minus returns the counts of c less those of each of others: a parent's subtree less
// its children's is the responses filed on the parent itself.
func (c Counts) Minus(others ...Counts) Counts {
	out := Counts{}
	out.Merge(c)
	for _, other := range others {
		for q, options := range other {
			for o, n := range options {
				out.add(q, o, -n)
			}
		}
	}
	return out
}

// Merge adds the counts of o to c.
func (c Counts) Merge(o Counts) {
	for q, options := range o {
		for opt, n := range options {
			c.add(q, opt, n)
		}
	}
}
