package stats

import (
	"testing"

	"minyi/internal/survey"
)

func TestStatus(t *testing.T) {
	target := 0.95
	for _, tc := range []struct {
		name            string
		positive, valid int
		small           int
		want            TargetStatus
	}{
		{"whole interval above", 995, 1000, 30, Met},
		{"30/30 is not proven", 30, 30, 30, Uncertain}, // ci 88.6%–100%
		{"small sample, all positive", 20, 20, 30, Uncertain},
		{"small sample, wholly below", 5, 20, 30, NotMet},
		{"wholly below", 60, 100, 30, NotMet},
		{"straddles", 179, 181, 30, Met}, // ci 96.1%–99.7%
		{"one no in 100", 99, 100, 30, Uncertain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Of(survey.Indicator{Target: &target}, tc.positive, tc.valid, tc.small)
			if r.TargetStatus == nil || *r.TargetStatus != tc.want {
				t.Errorf("got %v, want %v", r.TargetStatus, tc.want)
			}
		})
	}
}

// A 100% target is never met by an interval (its low edge is below 1) and one 不知道
// fails it only when the interval excludes 1.
func TestStatusFullTarget(t *testing.T) {
	for _, tc := range []struct {
		positive, valid int
		want            TargetStatus
	}{
		{200, 200, Uncertain},
		{199, 200, NotMet},
		{29, 30, NotMet},
	} {
		low, high, _ := Wilson(tc.positive, tc.valid)
		if got := Status(low, high, 1, false); got != tc.want {
			t.Errorf("%d/%d: got %v, want %v", tc.positive, tc.valid, got, tc.want)
		}
	}
}

func TestNoTargetNoStatus(t *testing.T) {
	for _, r := range []Result{Of(survey.Indicator{}, 5, 10, 30), Of(survey.Indicator{Target: new(float64)}, 0, 0, 30)} {
		if r.TargetStatus != nil {
			t.Errorf("got %v, want nil", *r.TargetStatus)
		}
	}
}
