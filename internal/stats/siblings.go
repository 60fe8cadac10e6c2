package stats

import (
	"cmp"
	"math"
	"slices"
)

// Tier places an area among its siblings allowing for its interval: above when its
// interval lies wholly above the siblings' pooled rate p0, below when wholly below
// (显著低于同级), within otherwise.
type Tier string

const (
	Above  Tier = "above"
	Within Tier = "within"
	Below  Tier = "below"
)

// Label is the tier as the dashboard and the bulletin print it.
func (t Tier) Label() string {
	switch t {
	case Above:
		return "显著高于同级"
	case Within:
		return "与同级无显著差异"
	case Below:
		return "显著低于同级"
	}
	return "—"
}

func (t Tier) order() int {
	switch t {
	case Above:
		return 0
	case Within:
		return 1
	}
	return 2
}

// Bounds of the prior strength k of the shrunk rate.
const (
	MinK = 2
	MaxK = 2000
)

// Sibling is one area's figure among the children of one area, for one indicator in
// one round.
type Sibling struct {
	Positive, Valid int
	InScope         bool // out-of-scope areas are never ranked and stay out of p0 and k
	Small           bool // a small sample is never ranked
}

// Standing is where one sibling stands. Tier, Shrunk and Place are set only for a
// ranked sibling: in scope, not a small sample, with valid answers.
type Standing struct {
	Ranked bool
	Tier   Tier
	Shrunk float64 // (positive + k·p0) / (valid + k): for ordering only, never printed as the rate
	Place  int     // 1 for the first; equal places are ties
	CILow  float64
	CIHigh float64
}

// Ranking is the comparison of a set of siblings. P0 and K name the pooled rate and
// the prior strength so that anyone can recompute the shrunk rates; P0 is nil when
// no sibling has a valid answer. Order lists the ranked siblings' indices, by tier
// (above, within, below) then shrunk rate, highest first.
type Ranking struct {
	P0        *float64
	K         float64
	Standings []Standing
	Order     []int
}

// Rank compares siblings: p0 = Σpositive / Σvalid over the in-scope siblings with
// valid > 0; k from the beta-binomial method of moments over the same siblings,
// bounded to [MinK, MaxK]; tiers from each ranked sibling's Wilson interval against
// p0; order by tier then shrunk rate; equal shrunk rates in one tier share a place.
func Rank(sibs []Sibling) Ranking {
	out := Ranking{Standings: make([]Standing, len(sibs)), K: MaxK}
	var pooled []Sibling
	x, n := 0, 0
	for _, s := range sibs {
		if s.InScope && s.Valid > 0 {
			pooled = append(pooled, s)
			x += s.Positive
			n += s.Valid
		}
	}
	if n == 0 {
		return out
	}
	p0 := float64(x) / float64(n)
	out.P0 = &p0
	out.K = PriorStrength(pooled)
	for i, s := range sibs {
		if !s.InScope || s.Small || s.Valid == 0 {
			continue
		}
		low, high, _ := Wilson(s.Positive, s.Valid)
		st := Standing{Ranked: true, Tier: Within, CILow: low, CIHigh: high,
			Shrunk: (float64(s.Positive) + out.K*p0) / (float64(s.Valid) + out.K)}
		switch {
		case high < p0:
			st.Tier = Below
		case low > p0:
			st.Tier = Above
		}
		out.Standings[i] = st
		out.Order = append(out.Order, i)
	}
	slices.SortStableFunc(out.Order, func(a, b int) int {
		sa, sb := out.Standings[a], out.Standings[b]
		return cmp.Or(cmp.Compare(sa.Tier.order(), sb.Tier.order()), cmp.Compare(sb.Shrunk, sa.Shrunk))
	})
	for k, i := range out.Order {
		place := k + 1
		if k > 0 {
			prev := out.Standings[out.Order[k-1]]
			if prev.Tier == out.Standings[i].Tier && prev.Shrunk == out.Standings[i].Shrunk {
				place = prev.Place
			}
		}
		out.Standings[i].Place = place
	}
	return out
}

// PriorStrength estimates k = α + β of a beta prior of the siblings' true rates by
// the method of moments, bounded to [MinK, MaxK]. With S = Σ nᵢ(p̂ᵢ − p̄)² over m
// siblings of N answers in all, E[S] = p̄(1−p̄)·((m−1) + ρ·(N − Σnᵢ²/N − (m−1))) with
// ρ = 1/(k+1), the intra-area correlation; hence ρ̂ and k = 1/ρ̂ − 1. When the
// siblings vary no more than sampling explains (ρ̂ ≤ 0), or nothing varies, k is MaxK.
func PriorStrength(sibs []Sibling) float64 {
	m := float64(len(sibs))
	var x, n, n2 float64
	for _, s := range sibs {
		x += float64(s.Positive)
		n += float64(s.Valid)
		n2 += float64(s.Valid) * float64(s.Valid)
	}
	if m < 2 || n == 0 {
		return MaxK
	}
	p := x / n
	if p <= 0 || p >= 1 {
		return MaxK
	}
	var ss float64
	for _, s := range sibs {
		d := float64(s.Positive)/float64(s.Valid) - p
		ss += float64(s.Valid) * d * d
	}
	denom := n - n2/n - (m - 1)
	if denom <= 0 {
		return MaxK
	}
	rho := (ss/(p*(1-p)) - (m - 1)) / denom
	if rho <= 0 {
		return MaxK
	}
	return math.Min(MaxK, math.Max(MinK, 1/rho-1))
}

// FunnelLimits are the 95% limits of a rate of n answers around p0: p0 ± z·√(p0(1−p0)/n),
// clipped to [0,1]. A figure outside them is exactly one whose Wilson interval
// excludes p0 (the Wilson interval inverts this score test), so the funnel plot and
// the tiers agree.
func FunnelLimits(p0 float64, n int) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	half := Z * math.Sqrt(p0*(1-p0)/float64(n))
	return math.Max(0, p0-half), math.Min(1, p0+half)
}
