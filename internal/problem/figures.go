package problem

import (
	"slices"
	"time"
)

// Fact is what the figures need of one problem.
type Fact struct {
	Status    Status
	RaisedAt  time.Time
	Due       *time.Time // local day; nil until assigned
	ClosedAt  *time.Time
	Contacted bool
	Satisfied *bool
}

// Figures are how an area deals with its problems. A rate is nil when its base is
// zero: shown as "—", never 0%.
type Figures struct {
	Total       int      `json:"total"`
	Closed      int      `json:"closed"`
	ClosureRate *float64 `json:"closure_rate"` // Closed / Total
	// OnTime problems were closed by the end of their due day; OnTimeBase are the
	// problems closed or past their due day.
	OnTime     int      `json:"on_time"`
	OnTimeBase int      `json:"on_time_base"`
	OnTimeRate *float64 `json:"on_time_rate"`
	Overdue    int      `json:"overdue"` // not closed, due day ended
	// MedianDays is the median of local days from raising to closing.
	MedianDays *float64 `json:"median_days"`
	Contacted  int      `json:"contacted"` // closed with the resident called back
	// Satisfied residents among those called back who said either way.
	Satisfied             int      `json:"satisfied"`
	SatisfiedBase         int      `json:"satisfied_base"`
	ResidentSatisfiedRate *float64 `json:"resident_satisfied_rate"`
}

// Summarize computes the figures of a set of problems at now, counting days in loc.
func Summarize(facts []Fact, now time.Time, loc *time.Location) Figures {
	var f Figures
	var days []int
	today := Day(now, loc)
	for _, x := range facts {
		f.Total++
		switch {
		case x.Status == Closed:
			f.Closed++
			f.OnTimeBase++
			if x.OnTime(loc) {
				f.OnTime++
			}
			days = append(days, x.DaysOpen(loc))
			if x.Contacted {
				f.Contacted++
				if x.Satisfied != nil {
					f.SatisfiedBase++
					if *x.Satisfied {
						f.Satisfied++
					}
				}
			}
		case x.overdueOn(today):
			f.Overdue++
			f.OnTimeBase++
		}
	}
	f.ClosureRate = ratio(f.Closed, f.Total)
	f.OnTimeRate = ratio(f.OnTime, f.OnTimeBase)
	f.ResidentSatisfiedRate = ratio(f.Satisfied, f.SatisfiedBase)
	f.MedianDays = median(days)
	return f
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}

func median(xs []int) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := float64(xs[len(xs)/2])
	if len(xs)%2 == 0 {
		m = float64(xs[len(xs)/2-1]+xs[len(xs)/2]) / 2
	}
	return &m
}
