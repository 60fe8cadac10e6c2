package stats

import (
	"math"
	"testing"
)

// The checks are Newcombe (1998), table I, method 3.
func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		positive, n int
		low, high   float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0000, 0.1611},
		{1, 29, 0.0061, 0.1718},
		{29, 29, 0.8830, 1.0000},
	} {
		low, high, ok := Wilson(tc.positive, tc.n)
		if !ok {
			t.Fatalf("Wilson(%d, %d): got undefined, want an interval", tc.positive, tc.n)
		}
		if math.Abs(low-tc.low) > 0.00005 || math.Abs(high-tc.high) > 0.00005 {
			t.Errorf("Wilson(%d, %d) = %.4f–%.4f, want %.4f–%.4f", tc.positive, tc.n, low, high, tc.low, tc.high)
		}
	}
}

func TestWilsonUndefined(t *testing.T) {
	if _, _, ok := Wilson(0, 0); ok {
		t.Errorf("Wilson(0, 0): got a defined interval, want undefined")
	}
}
