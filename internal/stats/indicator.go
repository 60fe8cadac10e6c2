package stats

import (
	"slices"

	"minyi/internal/survey"
)

// DefaultSmallSample is the number of valid answers below which a figure is flagged
// 样本不足 and never ranked.
const DefaultSmallSample = 30

// Result is one indicator computed over a set of responses.
type Result struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Kind        survey.Kind `json:"kind"`
	Headline    bool        `json:"headline"`
	Positive    int         `json:"positive"`
	Valid       int         `json:"valid"`
	Rate        *float64    `json:"rate"`
	CILow       *float64    `json:"ci_low"`
	CIHigh      *float64    `json:"ci_high"`
	Target      *float64    `json:"target"`
	MeetsTarget *bool       `json:"meets_target"`
	SmallSample bool        `json:"small_sample"`
}

// Compute applies an indicator rule to the answer counts of its question (option id →
// number of responses that chose it). Options the rule excludes stay out of the
// denominator; rate and interval are nil when no valid answer exists; the figure is a
// small sample when valid < smallSample.
func Compute(ind survey.Indicator, counts map[string]int, smallSample int) Result {
	r := Result{ID: ind.ID, Name: ind.Name, Kind: ind.Kind, Headline: ind.Headline, Target: ind.Target}
	for option, n := range counts {
		if slices.Contains(ind.Excluded, option) {
			continue
		}
		r.Valid += n
		if slices.Contains(ind.Positive, option) {
			r.Positive += n
		}
	}
	r.SmallSample = r.Valid < smallSample
	low, high, ok := Wilson(r.Positive, r.Valid)
	if !ok {
		return r
	}
	rate := float64(r.Positive) / float64(r.Valid)
	r.Rate, r.CILow, r.CIHigh = &rate, &low, &high
	if ind.Target != nil {
		meets := rate >= *ind.Target
		r.MeetsTarget = &meets
	}
	return r
}
