package stats

import "math"

// Change is how a rate moved between two sets of responses (e.g. two rounds).
type Change struct {
	Delta       float64 `json:"delta"`       // rate now minus rate before
	Z           float64 `json:"z"`           // two-proportion z statistic
	P           float64 `json:"p"`           // two-sided p-value
	Significant bool    `json:"significant"` // p < 0.05
}

// Compare runs the pooled two-proportion z-test of positive1/n1 (now) against
// positive2/n2 (before). ok is false when either side has no valid answers, or when
// every answer on both sides is the same (no variance: the change is 0 and not
// significant, but there is nothing to test).
func Compare(positive1, n1, positive2, n2 int) (c Change, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return Change{}, false
	}
	p1, p2 := float64(positive1)/float64(n1), float64(positive2)/float64(n2)
	c.Delta = p1 - p2
	pool := float64(positive1+positive2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		c.P = 1
		return c, true
	}
	c.Z = c.Delta / se
	c.P = math.Erfc(math.Abs(c.Z) / math.Sqrt2)
	c.Significant = c.P < 0.05
	return c, true
}
