// Package stats computes indicator rates with their 95% Wilson score intervals, and
// compares them: against targets, between rounds and among siblings.
package stats

import "math"

// Z is the two-sided 95% normal quantile used for every interval.
const Z = 1.959964

// Wilson returns the Wilson score interval for positive successes out of n trials.
// ok is false when n is 0: the rate is undefined and must be shown as "—", never 0%.
// The edges are exact: high is 1 when every trial succeeded, low 0 when none did.
func Wilson(positive, n int) (low, high float64, ok bool) {
	if n <= 0 {
		return 0, 0, false
	}
	p := float64(positive) / float64(n)
	fn := float64(n)
	z2 := Z * Z
	denom := 1 + z2/fn
	centre := (p + z2/(2*fn)) / denom
	half := Z * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / denom
	low, high = math.Max(0, centre-half), math.Min(1, centre+half)
	if positive == 0 {
		low = 0
	}
	if positive >= n {
		high = 1
	}
	return low, high, true
}
