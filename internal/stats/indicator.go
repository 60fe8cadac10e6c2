package stats

import (
	"slices"

	"minyi/internal/survey"
)

// DefaultSmallSample is the number of valid answers below which a figure is flagged
// 样本不足 and never ranked.
const DefaultSmallSample = 30

// Result is one indicator computed over a set of responses: its description and its
// figure.
type Result struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Kind     survey.Kind `json:"kind"`
	Headline bool        `json:"headline"`
	Target   *float64    `json:"target"`
	Figure
	// Weighted is set on a figure of the households-weighted view: its rate and
	// interval are not positive/valid and its Wilson interval.
	Weighted bool `json:"weighted,omitempty"`
}

// Figure is a rate with its n, interval and standing against a target. The *_text
// fields are the figures as printed everywhere (page, chart, bulletin, CSV), by the
// one rounding rule.
type Figure struct {
	Positive     int           `json:"positive"`
	Valid        int           `json:"valid"`
	Rate         *float64      `json:"rate"`
	CILow        *float64      `json:"ci_low"`
	CIHigh       *float64      `json:"ci_high"`
	RateText     string        `json:"rate_text"`
	CILowText    string        `json:"ci_low_text"`
	CIHighText   string        `json:"ci_high_text"`
	MeetsTarget  *bool         `json:"meets_target"`
	TargetStatus *TargetStatus `json:"target_status"` // nil without a target or a rate
	SmallSample  bool          `json:"small_sample"`
}

// Count sums the answers to an indicator's question (option id → responses that
// chose it) into its valid and positive answers: options the rule excludes stay out.
func Count(ind survey.Indicator, counts map[string]int) (positive, valid int) {
	for option, n := range counts {
		if slices.Contains(ind.Excluded, option) {
			continue
		}
		valid += n
		if slices.Contains(ind.Positive, option) {
			positive += n
		}
	}
	return positive, valid
}

// Compute applies an indicator rule to the answer counts of its question. Rate and
// interval are nil when no valid answer exists; the figure is a small sample when
// valid < smallSample.
func Compute(ind survey.Indicator, counts map[string]int, smallSample int) Result {
	positive, valid := Count(ind, counts)
	return Of(ind, positive, valid, smallSample)
}

// Of is the figure of an indicator with the given positive and valid answers.
func Of(ind survey.Indicator, positive, valid, smallSample int) Result {
	r := Result{ID: ind.ID, Name: ind.Name, Kind: ind.Kind, Headline: ind.Headline, Target: ind.Target,
		Figure: Figure{Positive: positive, Valid: valid, SmallSample: valid < smallSample}}
	low, high, ok := Wilson(positive, valid)
	if !ok {
		r.RateText, r.CILowText, r.CIHighText = "—", "—", "—"
		return r
	}
	rate := float64(positive) / float64(valid)
	r.Rate, r.CILow, r.CIHigh = &rate, &low, &high
	r.RateText = Percent(positive, valid)
	r.judge()
	return r
}

// OfWeighted is the households-weighted figure of an indicator over the leaf areas of
// a subtree (see Weighted); positive and valid are the pooled counts, for n.
func OfWeighted(ind survey.Indicator, leaves []Leaf, smallSample int) Result {
	r := Result{ID: ind.ID, Name: ind.Name, Kind: ind.Kind, Headline: ind.Headline, Target: ind.Target, Weighted: true}
	for _, l := range leaves {
		r.Positive += l.Positive
		r.Valid += l.Valid
	}
	r.SmallSample = r.Valid < smallSample
	rate, low, high, ok := Weighted(leaves)
	if !ok {
		r.RateText, r.CILowText, r.CIHighText = "—", "—", "—"
		return r
	}
	r.Rate, r.CILow, r.CIHigh = &rate, &low, &high
	r.RateText = PercentOf(&rate)
	r.judge()
	return r
}

// judge sets the printed interval and the figure's standing against its target.
func (r *Result) judge() {
	r.CILowText, r.CIHighText = PercentOf(r.CILow), PercentOf(r.CIHigh)
	if r.Target == nil {
		return
	}
	meets := *r.Rate >= *r.Target
	status := Status(*r.CILow, *r.CIHigh, *r.Target, r.SmallSample)
	r.MeetsTarget, r.TargetStatus = &meets, &status
}

// Tenths is the figure's rate in tenths of a percent as printed; ok is false when the
// rate is undefined.
func (r Result) Tenths() (int64, bool) {
	if r.Rate == nil {
		return 0, false
	}
	if r.Weighted {
		return TenthsOf(*r.Rate), true
	}
	return Tenths(r.Positive, r.Valid)
}

// Interval prints the figure's interval, "81.0%–85.2%", or "—".
func (r Result) Interval() string {
	if r.CILow == nil {
		return "—"
	}
	return r.CILowText + "–" + r.CIHighText
}
