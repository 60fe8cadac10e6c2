package stats

import (
	"math"
	"testing"
)

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name           string
		x1, n1, x2, n2 int
		z, p           float64
		significant    bool
		ok             bool
	}{
		// Worked example: 0.75 of 200 against 0.65 of 200: pooled 0.7, SE 0.0458, z = 2.182, p = 0.029.
		{"significant rise", 150, 200, 130, 200, 2.1822, 0.0291, true, true},
		{"significant fall", 130, 200, 150, 200, -2.1822, 0.0291, true, true},
		{"small change", 52, 100, 50, 100, 0.2829, 0.7773, false, true},
		{"all positive both times", 40, 40, 30, 30, 0, 1, false, true},
		{"nothing before", 10, 20, 0, 0, 0, 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := Compare(tc.x1, tc.n1, tc.x2, tc.n2)
			if ok != tc.ok {
				t.Fatalf("ok: got %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if math.Abs(c.Z-tc.z) > 1e-3 || math.Abs(c.P-tc.p) > 1e-3 || c.Significant != tc.significant {
				t.Errorf("got z=%.4f p=%.4f significant=%v, want z=%.4f p=%.4f significant=%v",
					c.Z, c.P, c.Significant, tc.z, tc.p, tc.significant)
			}
		})
	}
}
