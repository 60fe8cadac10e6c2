package problem

import (
	"fmt"
	"math"
	"testing"
	"time"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time in Shanghai.
func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, shanghai)
}

func day(month time.Month, d int) *time.Time {
	t := time.Date(2026, month, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func ptr[T any](v T) *T { return &v }

// TestLocalMidnight checks on-time and overdue at the edges of a local day: due on
// 12-05 means by 24:00 Beijing time, which is 16:00 UTC on 12-05.
func TestLocalMidnight(t *testing.T) {
	due := day(12, 5)
	for _, tc := range []struct {
		name        string
		now         time.Time
		overdue     bool
		daysOverdue int
	}{
		{"due day, 23:59 local", at(12, 5, 23, 59), false, 0},
		{"next day, 00:00 local", at(12, 6, 0, 0), true, 1},
		{"next day 00:00 local is 16:00 UTC the day before", time.Date(2026, 12, 5, 16, 0, 0, 0, time.UTC), true, 1},
		{"15:59 UTC on the due day is 23:59 local", time.Date(2026, 12, 5, 15, 59, 0, 0, time.UTC), false, 0},
		{"three days later", at(12, 8, 9, 0), true, 3},
	} {
		f := Fact{Status: Assigned, RaisedAt: at(12, 1, 9, 0), Due: due}
		if got := f.Overdue(tc.now, shanghai); got != tc.overdue {
			t.Errorf("%s: overdue got %v, want %v", tc.name, got, tc.overdue)
		}
		if got := f.DaysOverdue(tc.now, shanghai); got != tc.daysOverdue {
			t.Errorf("%s: days overdue got %d, want %d", tc.name, got, tc.daysOverdue)
		}
		closed := Fact{Status: Closed, RaisedAt: at(12, 1, 9, 0), Due: due, ClosedAt: &tc.now}
		if got := closed.OnTime(shanghai); got == tc.overdue {
			t.Errorf("%s: closed then, on time got %v, want %v", tc.name, got, !tc.overdue)
		}
		if closed.Overdue(tc.now.Add(240*time.Hour), shanghai) {
			t.Errorf("%s: a closed problem is overdue, want never", tc.name)
		}
	}
	// Raised at 23:30 and closed at 00:30 local: one day, though an hour passed.
	f := Fact{Status: Closed, RaisedAt: at(12, 1, 23, 30), ClosedAt: ptr(at(12, 2, 0, 30))}
	if got := f.DaysOpen(shanghai); got != 1 {
		t.Errorf("days open across local midnight: got %d, want 1", got)
	}
	if got := Day(time.Date(2026, 12, 1, 16, 30, 0, 0, time.UTC), shanghai).Format(time.DateOnly); got != "2026-12-02" {
		t.Errorf("Day of 16:30 UTC: got %s, want 2026-12-02", got)
	}
}

func TestSummarize(t *testing.T) {
	now := at(12, 10, 12, 0)
	closed := func(raised, closedAt time.Time, due *time.Time, contacted bool, satisfied *bool) Fact {
		return Fact{Status: Closed, RaisedAt: raised, Due: due, ClosedAt: &closedAt, Contacted: contacted, Satisfied: satisfied}
	}
	facts := []Fact{
		closed(at(12, 1, 9, 0), at(12, 3, 10, 0), day(12, 5), true, ptr(true)),   // on time, 2 days
		closed(at(12, 1, 9, 0), at(12, 5, 23, 59), day(12, 5), true, ptr(false)), // on time at 23:59, 4 days
		closed(at(12, 1, 9, 0), at(12, 6, 0, 1), day(12, 5), true, nil),          // late by a minute, 5 days
		closed(at(12, 2, 9, 0), at(12, 9, 9, 0), day(12, 9), false, nil),         // on time, 7 days
		{Status: Assigned, RaisedAt: at(12, 2, 9, 0), Due: day(12, 9)},           // overdue
		{Status: Rectified, RaisedAt: at(12, 2, 9, 0), Due: day(12, 8)},          // overdue, rectified but not closed
		{Status: Assigned, RaisedAt: at(12, 2, 9, 0), Due: day(12, 10)},          // due today: not overdue
		{Status: Open, RaisedAt: at(12, 9, 9, 0)},                                // not assigned
	}
	got := Summarize(facts, now, shanghai)
	want := Figures{Total: 8, Closed: 4, ClosureRate: ptr(0.5), OnTime: 3, OnTimeBase: 6, OnTimeRate: ptr(0.5),
		Overdue: 2, MedianDays: ptr(4.5), Contacted: 3, Satisfied: 1, SatisfiedBase: 2, ResidentSatisfiedRate: ptr(0.5)}
	if !sameFigures(got, want) {
		t.Errorf("got %s, want %s", show(got), show(want))
	}
	empty := Summarize(nil, now, shanghai)
	if empty.ClosureRate != nil || empty.OnTimeRate != nil || empty.MedianDays != nil || empty.ResidentSatisfiedRate != nil {
		t.Errorf("no problems: got %s, want every rate nil", show(empty))
	}
}

func sameFigures(a, b Figures) bool {
	eq := func(x, y *float64) bool {
		return (x == nil) == (y == nil) && (x == nil || math.Abs(*x-*y) < 1e-12)
	}
	return a.Total == b.Total && a.Closed == b.Closed && a.OnTime == b.OnTime && a.OnTimeBase == b.OnTimeBase &&
		a.Overdue == b.Overdue && a.Contacted == b.Contacted && a.Satisfied == b.Satisfied &&
		a.SatisfiedBase == b.SatisfiedBase && eq(a.ClosureRate, b.ClosureRate) && eq(a.OnTimeRate, b.OnTimeRate) &&
		eq(a.MedianDays, b.MedianDays) && eq(a.ResidentSatisfiedRate, b.ResidentSatisfiedRate)
}

func show(f Figures) string {
	v := func(x *float64) any {
		if x == nil {
			return "nil"
		}
		return *x
	}
	return fmtFigures(f, v)
}

func fmtFigures(f Figures, v func(*float64) any) string {
	return fmt.Sprintf("{total %d closed %d closure %v on_time %d/%d %v overdue %d median %v contacted %d satisfied %d/%d %v}",
		f.Total, f.Closed, v(f.ClosureRate), f.OnTime, f.OnTimeBase, v(f.OnTimeRate), f.Overdue, v(f.MedianDays),
		f.Contacted, f.Satisfied, f.SatisfiedBase, v(f.ResidentSatisfiedRate))
}
