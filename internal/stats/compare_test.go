package stats

import (
	"math"
	"testing"
)

// The checks are Newcombe (1998), table II, method 10 (hybrid score interval).
func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		x2, n2, x1, n1 int
		low, high      float64
		significant    bool
	}{
		{56, 70, 48, 80, 0.0524, 0.3339, true},
		{9, 10, 3, 10, 0.1705, 0.8090, true},
		{6, 7, 2, 7, 0.0582, 0.8062, true},
		{5, 56, 0, 29, -0.0381, 0.1926, false},
		{0, 10, 0, 20, -0.1611, 0.2775, false},
		{10, 10, 0, 10, 0.6075, 1.0000, true},
		// The pooled z-test called this significant; Fisher's p is 0.063.
		{180, 180, 117, 120, -0.0016, 0.0709, false},
	} {
		c := Compare(tc.x2, tc.n2, tc.x1, tc.n1)
		if c.Diff == nil {
			t.Fatalf("%d/%d − %d/%d: got no change, want one", tc.x2, tc.n2, tc.x1, tc.n1)
		}
		d := float64(tc.x2)/float64(tc.n2) - float64(tc.x1)/float64(tc.n1)
		if math.Abs(*c.Low-tc.low) > 0.00005 || math.Abs(*c.High-tc.high) > 0.00005 || math.Abs(*c.Diff-d) > 1e-15 || *c.Significant != tc.significant {
			t.Errorf("%d/%d − %d/%d: got %.4f–%.4f %v, want %.4f–%.4f %v", tc.x2, tc.n2, tc.x1, tc.n1,
				*c.Low, *c.High, *c.Significant, tc.low, tc.high, tc.significant)
		}
	}
}

func TestCompareNothing(t *testing.T) {
	for _, tc := range [][4]int{{0, 0, 5, 10}, {5, 10, 0, 0}, {0, 0, 0, 0}} {
		c := Compare(tc[0], tc[1], tc[2], tc[3])
		if c.Diff != nil || c.Low != nil || c.High != nil || c.Significant != nil || c.Label() != "无法比较" {
			t.Errorf("%v: got %+v %v, want every field nil, 无法比较", tc, c, c.Label())
		}
	}
}
