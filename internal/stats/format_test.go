package stats

import "testing"

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		positive, valid int
		want            string
	}{
		{13, 16, "81.3%"}, // 81.25%: half up, from the fraction, not the float
		{1, 8, "12.5%"},
		{1, 3, "33.3%"},
		{2, 3, "66.7%"},
		{3, 16, "18.8%"},  // 18.75%
		{1, 1600, "0.1%"}, // 0.0625%
		{1, 16000, "0.0%"},
		{0, 5, "0.0%"},
		{5, 5, "100.0%"},
		{179, 181, "98.9%"},
		{0, 0, "—"},
	} {
		if got := Percent(tc.positive, tc.valid); got != tc.want {
			t.Errorf("Percent(%d, %d): got %v, want %v", tc.positive, tc.valid, got, tc.want)
		}
	}
}

func TestPercentOf(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0.8125, "81.3%"},
		{0.95, "95.0%"},
		{0.9045, "90.5%"}, // %.1f of 90.45 prints 90.4: the float lies below the decimal
		{0.00049, "0.0%"},
		{0.0005, "0.1%"},
		{1, "100.0%"},
		{0, "0.0%"},
	} {
		v := tc.v
		if got := PercentOf(&v); got != tc.want {
			t.Errorf("PercentOf(%v): got %v, want %v", tc.v, got, tc.want)
		}
	}
	if got := PercentOf(nil); got != "—" {
		t.Errorf("PercentOf(nil): got %v, want —", got)
	}
}

// A printed change is the difference of the printed rates.
func TestPoints(t *testing.T) {
	for _, tc := range []struct {
		now, before [2]int
		want        string
	}{
		{[2]int{957, 1000}, [2]int{904, 1000}, "+5.3个百分点"},
		{[2]int{67, 70}, [2]int{75, 83}, "+5.3个百分点"}, // 95.7% and 90.4%: +5.34 unrounded
		{[2]int{13, 16}, [2]int{27, 32}, "-3.1个百分点"}, // 81.3% and 84.4%
		{[2]int{1, 2}, [2]int{2, 4}, "±0.0个百分点"},
	} {
		a, _ := Tenths(tc.now[0], tc.now[1])
		b, _ := Tenths(tc.before[0], tc.before[1])
		if got := Points(a, b); got != tc.want {
			t.Errorf("Points(%v, %v): got %v, want %v", tc.now, tc.before, got, tc.want)
		}
	}
}

// The value an XLSX cell stores is the printed rate, exactly the decimal.
func TestRounded(t *testing.T) {
	for _, tc := range []struct {
		tenths int64
		want   float64
	}{
		{813, 0.813}, {1000, 1}, {0, 0}, {1, 0.001}, {957, 0.957},
	} {
		if got := Rounded(tc.tenths); got != tc.want {
			t.Errorf("Rounded(%d): got %v, want %v", tc.tenths, got, tc.want)
		}
	}
}
