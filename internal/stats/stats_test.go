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

// Every all-positive figure has ci_high exactly 1 and every none-positive one ci_low
// exactly 0, whatever n: no 0.9999999999999999.
func TestWilsonExactEdges(t *testing.T) {
	for n := 1; n <= 5000; n++ {
		if _, high, _ := Wilson(n, n); high != 1 {
			t.Fatalf("Wilson(%d, %d): got ci_high %v, want 1", n, n, high)
		}
		if low, _, _ := Wilson(0, n); low != 0 {
			t.Fatalf("Wilson(0, %d): got ci_low %v, want 0", n, low)
		}
	}
}

func TestWilsonUndefined(t *testing.T) {
	if _, _, ok := Wilson(0, 0); ok {
		t.Errorf("Wilson(0, 0): got a defined interval, want undefined")
	}
}

func TestWeighted(t *testing.T) {
	for _, tc := range []struct {
		name            string
		leaves          []Leaf
		rate, low, high float64
		ok              bool
	}{
		// w = 300/400 and 100/400; var = .75²·.9·.1/100 + .25²·.8·.2/50.
		{"two leaves, two left out", []Leaf{{90, 100, 300}, {40, 50, 100}, {10, 10, 0}, {0, 0, 50}},
			0.875, 0.8229132422307234, 0.9270867577692766, true},
		{"clipped at 1", []Leaf{{20, 20, 10}}, 1, 1, 1, true},
		{"no household counts", []Leaf{{20, 30, 0}}, 0, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rate, low, high, ok := Weighted(tc.leaves)
			if ok != tc.ok || math.Abs(rate-tc.rate) > 1e-12 || math.Abs(low-tc.low) > 1e-12 || math.Abs(high-tc.high) > 1e-12 {
				t.Errorf("got %v %v–%v (%v), want %v %v–%v (%v)", rate, low, high, ok, tc.rate, tc.low, tc.high, tc.ok)
			}
		})
	}
}
