package stats

import (
	"math/big"
	"strconv"
)

// Tenths returns positive/valid in tenths of a percent, rounded half up from the exact
// fraction (13/16 = 81.25% gives 813). ok is false when valid is 0.
func Tenths(positive, valid int) (tenths int64, ok bool) {
	if valid <= 0 || positive < 0 {
		return 0, false
	}
	// round(1000·x/n) half up = floor((2000·x + n) / 2n), in integers.
	return (2000*int64(positive) + int64(valid)) / (2 * int64(valid)), true
}

// TenthsOf returns a rate that is not a fraction of counts (an interval edge, a
// target, a weighted rate) in tenths of a percent, rounded half up on the shortest
// decimal that reads back as the same float (0.8125 gives 813; 0.95 gives 950).
func TenthsOf(v float64) int64 {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		return 0
	}
	r.Mul(r, big.NewRat(1000, 1))
	neg := r.Sign() < 0
	if neg {
		r.Neg(r)
	}
	// floor(r + 1/2)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

// PrintTenths prints tenths of a percent as a percentage with one decimal: 813 → "81.3%".
func PrintTenths(t int64) string {
	return tenthsDecimal(t) + "%"
}

// Percent prints positive/valid with the one rounding rule, or "—" when valid is 0.
func Percent(positive, valid int) string {
	t, ok := Tenths(positive, valid)
	if !ok {
		return "—"
	}
	return PrintTenths(t)
}

// PercentOf prints a rate that is not a fraction of counts with the one rounding
// rule, or "—" when it is nil.
func PercentOf(v *float64) string {
	if v == nil {
		return "—"
	}
	return PrintTenths(TenthsOf(*v))
}

// Rounded is a rate rounded to 0.1% by the one rule, as a fraction (0.813): the value
// an XLSX cell stores under the format 0.0%, so the cell shows what the page prints.
func Rounded(t int64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatInt(t, 10)+"e-3", 64)
	return f
}

// Points prints the difference of two printed rates, in tenths of a percent, as
// percentage points with a sign: a printed change is always the difference of the
// printed rates (90.4% → 95.7% is +5.3).
func Points(now, before int64) string {
	d := now - before
	sign := "+"
	if d < 0 {
		sign = ""
	}
	if d == 0 {
		sign = "±"
	}
	return sign + tenthsDecimal(d) + "个百分点"
}

func tenthsDecimal(t int64) string {
	neg := t < 0
	if neg {
		t = -t
	}
	s := strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10)
	if neg {
		s = "-" + s
	}
	return s
}

// PointsInterval prints an interval of a difference of rates in percentage points,
// each end rounded by the one rule: "-0.2 至 +7.1个百分点".
func PointsInterval(low, high float64) string {
	return signed(TenthsOf(low)) + " 至 " + signed(TenthsOf(high)) + "个百分点"
}

func signed(t int64) string {
	if t > 0 {
		return "+" + tenthsDecimal(t)
	}
	return tenthsDecimal(t)
}
