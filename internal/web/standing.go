package web

import (
	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/survey"
)

// rankSiblings compares the figures of sibling areas on one indicator: out-of-scope
// areas and small samples are never ranked.
func rankSiblings(areas []area.Area, results []stats.Result) stats.Ranking {
	sibs := make([]stats.Sibling, len(areas))
	for i, a := range areas {
		sibs[i] = stats.Sibling{Positive: results[i].Positive, Valid: results[i].Valid,
			InScope: a.InScope, Small: results[i].SmallSample}
	}
	return stats.Rank(sibs)
}

// StandingFigure is where a ranked area stands among its siblings.
type StandingFigure struct {
	Tier      stats.Tier `json:"tier"`
	TierLabel string     `json:"tier_label"`
	Shrunk    float64    `json:"shrunk_rate"` // for ordering only: never the area's rate
	Place     int        `json:"place"`       // equal places are ties
}

// standingOf is a sibling's standing, nil when it is not ranked.
func standingOf(r stats.Ranking, i int) *StandingFigure {
	st := r.Standings[i]
	if !st.Ranked {
		return nil
	}
	return &StandingFigure{st.Tier, st.Tier.Label(), st.Shrunk, st.Place}
}

// alertReply is an area alerted on an indicator, with the evidence of both rounds.
type alertReply struct {
	Area          areaRef         `json:"area"`
	Indicator     string          `json:"indicator"`
	IndicatorName string          `json:"indicator_name"`
	Kind          stats.AlertKind `json:"kind"`
	Label         string          `json:"label"`
	Evidence      alertEvidence   `json:"evidence"`
}

type alertEvidence struct {
	Now      roundEvidence `json:"now"`
	Previous roundEvidence `json:"previous"`
}

// roundEvidence is an alerted area's figure in one round against its siblings.
type roundEvidence struct {
	Round      string     `json:"round"`
	Positive   int        `json:"positive"`
	Valid      int        `json:"valid"`
	RateText   string     `json:"rate_text"`
	CILow      float64    `json:"ci_low"`
	CIHigh     float64    `json:"ci_high"`
	Interval   string     `json:"interval_text"`
	P0         float64    `json:"p0"`
	P0Text     string     `json:"p0_text"`
	K          float64    `json:"k"`
	Tier       stats.Tier `json:"tier"`
	Shrunk     float64    `json:"shrunk_rate"`
	Place      int        `json:"place"`
	RankedSibs int        `json:"ranked"`
}

func evidenceOf(round string, r stats.Result, rk stats.Ranking, i int) roundEvidence {
	st := rk.Standings[i]
	return roundEvidence{Round: round, Positive: r.Positive, Valid: r.Valid, RateText: r.RateText,
		CILow: st.CILow, CIHigh: st.CIHigh, Interval: r.Interval(), P0: *rk.P0, P0Text: stats.PercentOf(rk.P0),
		K: rk.K, Tier: st.Tier, Shrunk: st.Shrunk, Place: st.Place, RankedSibs: len(rk.Order)}
}

// alertsOf compares the standings of the same sibling areas on one indicator in two
// rounds and returns the alerts with their evidence.
func alertsOf(ind survey.Indicator, areas []area.Area, now, before []stats.Result, round, previous string) []alertReply {
	rkNow, rkBefore := rankSiblings(areas, now), rankSiblings(areas, before)
	var out []alertReply
	for _, a := range stats.Alerts(rkNow, rkBefore) {
		out = append(out, alertReply{Area: areaRefOf(areas[a.Index]), Indicator: ind.ID, IndicatorName: ind.Name,
			Kind: a.Kind, Label: a.Kind.Label(),
			Evidence: alertEvidence{evidenceOf(round, now[a.Index], rkNow, a.Index),
				evidenceOf(previous, before[a.Index], rkBefore, a.Index)}})
	}
	return out
}

// funnelPoint is the 95% limits around the siblings' p0 for a figure of N answers.
type funnelPoint struct {
	N    int     `json:"n"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// funnelOf traces the limits from n = 1 up to a little past the largest n shown,
// densely where they bend.
func funnelOf(p0 *float64, maxN int) []funnelPoint {
	if p0 == nil {
		return []funnelPoint{}
	}
	var out []funnelPoint
	for n := 1; n <= maxN+maxN/10+1; {
		lo, hi := stats.FunnelLimits(*p0, n)
		out = append(out, funnelPoint{n, lo, hi})
		n += max(1, n/20)
	}
	return out
}
