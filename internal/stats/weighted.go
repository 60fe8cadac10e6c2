package stats

import "math"

// Leaf is one leaf area's figure and its household count, for the weighted view.
type Leaf struct {
	Positive, Valid int
	Households      int
}

// Weighted is an area's rate weighted by households: Σ w_c·p_c over the leaves c with
// valid > 0 and households > 0, w_c = households_c / Σ households, with the interval
// rate ± z·√(Σ w_c²·p_c(1−p_c)/valid_c), clipped to [0,1]. ok is false when no leaf
// qualifies.
func Weighted(leaves []Leaf) (rate, low, high float64, ok bool) {
	total := 0
	for _, l := range leaves {
		if l.Valid > 0 && l.Households > 0 {
			total += l.Households
		}
	}
	if total == 0 {
		return 0, 0, 0, false
	}
	var v float64
	for _, l := range leaves {
		if l.Valid <= 0 || l.Households <= 0 {
			continue
		}
		w := float64(l.Households) / float64(total)
		p := float64(l.Positive) / float64(l.Valid)
		rate += w * p
		v += w * w * p * (1 - p) / float64(l.Valid)
	}
	half := Z * math.Sqrt(v)
	return rate, math.Max(0, rate-half), math.Min(1, rate+half), true
}
