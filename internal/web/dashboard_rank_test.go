package web

import (
	"fmt"
	"slices"
	"testing"

	"minyi/internal/stats"
)

// figures builds results from rates; a negative rate is a small sample, NaN none.
func figures(rates ...float64) []stats.Result {
	out := make([]stats.Result, len(rates))
	for i, r := range rates {
		switch {
		case r != r:
		case r < 0:
			x := -r
			out[i] = stats.Result{Rate: &x, SmallSample: true}
		default:
			x := r
			out[i] = stats.Result{Rate: &x}
		}
	}
	return out
}

func places(ps []*int) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = "-"
		if p != nil {
			s[i] = fmt.Sprint(*p)
		}
	}
	return fmt.Sprint(s)
}

func TestRanksAndBottom(t *testing.T) {
	nan := 0.0
	nan = nan / nan
	for _, tc := range []struct {
		name   string
		rates  []float64
		ranks  string
		bottom []bool
	}{
		{"distinct", []float64{.5, .9, .7, .6, .8}, "[5 1 3 4 2]", []bool{true, false, true, true, false}},
		{"ties share a place", []float64{.9, .8, .8, .7}, "[1 2 2 4]", []bool{false, true, true, true}},
		{"tie at the foot widens the bottom", []float64{.9, .8, .7, .7, .7, .7}, "[1 2 3 3 3 3]",
			[]bool{false, false, true, true, true, true}},
		{"all equal: nobody lags", []float64{1, 1, 1, 1, 1}, "[1 1 1 1 1]", []bool{false, false, false, false, false}},
		{"small samples and undefined rates unranked", []float64{.9, -.1, .8, nan, .7, .6}, "[1 - 2 - 3 4]",
			[]bool{false, false, true, false, true, true}},
		{"three ranked: no bottom", []float64{.9, .5, .1, -.3}, "[1 2 3 -]", []bool{false, false, false, false}},
		{"none", nil, "[]", []bool{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := figures(tc.rates...)
			if got := places(ranks(rs)); got != tc.ranks {
				t.Errorf("ranks: got %s, want %s", got, tc.ranks)
			}
			if got := atBottom(rs); !slices.Equal(got, tc.bottom) {
				t.Errorf("bottom: got %v, want %v", got, tc.bottom)
			}
		})
	}
}

func TestPeriodLabel(t *testing.T) {
	for _, tc := range []struct{ by, day, want string }{
		{"day", "2026-11-20", "2026-11-20"},
		{"week", "2026-11-16", "2026-W47"},
		{"week", "2025-12-29", "2026-W01"},
		{"month", "2026-11-01", "2026-11"},
		{"quarter", "2026-10-01", "2026Q4"},
		{"quarter", "2026-01-01", "2026Q1"},
	} {
		d, _ := parseDay(tc.day, testConfig().Location)
		if got := periodLabel(tc.by, *d); got != tc.want {
			t.Errorf("periodLabel(%s, %s): got %s, want %s", tc.by, tc.day, got, tc.want)
		}
	}
}
