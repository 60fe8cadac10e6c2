package stats

import (
	"math"
	"slices"
	"testing"
)

func TestPriorStrength(t *testing.T) {
	for _, tc := range []struct {
		name string
		sibs []Sibling
		want float64
	}{
		// S = 100·(0 + .1² + .1²) = 2; S/(.8·.2) − 2 = 10.5; N − ΣN²/N − 2 = 198;
		// ρ = 10.5/198; k = 1/ρ − 1 = 17.857142…
		{"three of 100", []Sibling{{80, 100, true, false}, {90, 100, true, false}, {70, 100, true, false}}, 17.857142857142836},
		{"no more spread than chance", []Sibling{{95, 100, true, false}, {96, 100, true, false}, {94, 100, true, false}}, MaxK},
		{"all positive", []Sibling{{50, 50, true, false}, {60, 60, true, false}}, MaxK},
		{"one sibling", []Sibling{{50, 60, true, false}}, MaxK},
		{"bounded below", []Sibling{{0, 100, true, false}, {100, 100, true, false}}, MinK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PriorStrength(tc.sibs); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRank(t *testing.T) {
	// p0 = 240/300 = 0.8, k = 17.857…: shrunk 0.8, 0.88485, 0.71515.
	r := Rank([]Sibling{
		{80, 100, true, false}, {90, 100, true, false}, {70, 100, true, false},
		{10, 10, true, true},   // small: in p0 and k, never ranked
		{0, 0, true, false},    // nothing valid
		{1, 100, false, false}, // out of scope: in nothing
	})
	// The small sibling joins p0: 250/310.
	if r.P0 == nil || math.Abs(*r.P0-250.0/310) > 1e-15 {
		t.Fatalf("p0: got %v, want %v", r.P0, 250.0/310)
	}
	if got, want := r.Order, []int{1, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("order: got %v, want %v", got, want)
	}
	for i, want := range []struct {
		ranked bool
		tier   Tier
		place  int
	}{
		{true, Within, 2}, {true, Above, 1}, {true, Below, 3}, {false, "", 0}, {false, "", 0}, {false, "", 0},
	} {
		s := r.Standings[i]
		if s.Ranked != want.ranked || s.Tier != want.tier || s.Place != want.place {
			t.Errorf("sibling %d: got %v %v %d, want %v %v %d", i, s.Ranked, s.Tier, s.Place, want.ranked, want.tier, want.place)
		}
	}
	s := r.Standings[2]
	if want := (70 + r.K**r.P0) / (100 + r.K); s.Shrunk != want {
		t.Errorf("shrunk: got %v, want %v", s.Shrunk, want)
	}
}

// Tiers come first: a small area with a high rate that is not significantly above
// ranks behind a large one that is; equal figures tie.
func TestRankTiersAndTies(t *testing.T) {
	r := Rank([]Sibling{
		{30, 30, true, false},   // 100% of 30: within
		{187, 187, true, false}, // 100% of 187: above
		{170, 200, true, false},
		{170, 200, true, false},
	})
	if got, want := r.Order[0], 1; got != want {
		t.Errorf("first: got %v, want %v", got, want)
	}
	if got := []int{r.Standings[2].Place, r.Standings[3].Place}; got[0] != got[1] {
		t.Errorf("equal figures: got places %v, want a tie", got)
	}
	if r.Standings[0].Place == r.Standings[1].Place {
		t.Errorf("30/30 and 187/187: got a tie at %d, want 187/187 ahead", r.Standings[0].Place)
	}
}

func TestRankNothingValid(t *testing.T) {
	r := Rank([]Sibling{{0, 0, true, false}, {5, 10, false, false}})
	if r.P0 != nil || len(r.Order) != 0 {
		t.Errorf("got p0 %v order %v, want nil and none", r.P0, r.Order)
	}
}

// A rate outside the funnel limits at its n is exactly a rate whose Wilson interval
// excludes p0: the plot and the tiers agree.
func TestFunnelAgreesWithTiers(t *testing.T) {
	for _, p0 := range []float64{0.5, 0.8, 0.95, 0.977} {
		for n := 1; n <= 400; n++ {
			lo, hi := FunnelLimits(p0, n)
			for x := 0; x <= n; x++ {
				p := float64(x) / float64(n)
				l, h, _ := Wilson(x, n)
				outside := p < lo-1e-9 || p > hi+1e-9
				inside := p > lo+1e-9 && p < hi-1e-9
				excl := h < p0 || l > p0
				if (outside && !excl) || (inside && excl) {
					t.Fatalf("p0 %v, %d/%d: limits %v–%v, Wilson %v–%v", p0, x, n, lo, hi, l, h)
				}
			}
		}
	}
}

func TestAlerts(t *testing.T) {
	sib := func(x, n int) Sibling { return Sibling{x, n, true, false} }
	for _, tc := range []struct {
		name        string
		now, before []Sibling
		want        []Alert
	}{
		{"below twice and last twice",
			[]Sibling{sib(190, 200), sib(192, 200), sib(150, 200)},
			[]Sibling{sib(185, 200), sib(190, 200), sib(140, 200)},
			[]Alert{{2, BelowTwice}, {2, LastTwice}}},
		{"last twice but not significantly",
			[]Sibling{sib(195, 200), sib(196, 200), sib(194, 200)},
			[]Sibling{sib(195, 200), sib(196, 200), sib(193, 200)},
			[]Alert{{2, LastTwice}}},
		{"last tied: nobody",
			[]Sibling{sib(190, 200), sib(190, 200)},
			[]Sibling{sib(190, 200), sib(190, 200)},
			nil},
		{"last once",
			[]Sibling{sib(195, 200), sib(196, 200), sib(194, 200)},
			[]Sibling{sib(193, 200), sib(196, 200), sib(194, 200)},
			nil},
		{"one ranked sibling",
			[]Sibling{sib(100, 200), {5, 10, true, true}},
			[]Sibling{sib(100, 200), {5, 10, true, true}},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Alerts(Rank(tc.now), Rank(tc.before)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
