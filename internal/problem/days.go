package problem

import "time"

// Days are local calendar days (in the service's time zone), held as midnight UTC of
// that date so that they compare and print the same wherever the process runs, and
// match what PostgreSQL's date type scans into.

// Day is the local calendar day of t in loc.
func Day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDay reads a day written YYYY-MM-DD.
func ParseDay(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}

// DueEnd is the instant a problem due on the day stops being on time: the next
// local midnight.
func DueEnd(due time.Time, loc *time.Location) time.Time {
	return time.Date(due.Year(), due.Month(), due.Day()+1, 0, 0, 0, 0, loc)
}

// Overdue reports whether a problem is overdue at now: not closed, and its due day
// has ended.
func (f Fact) Overdue(now time.Time, loc *time.Location) bool {
	return f.Status != Closed && f.Due != nil && !now.Before(DueEnd(*f.Due, loc))
}

// OnTime reports whether a closed problem was closed by the end of its due day. A
// problem closed without a due day (none is) counts as on time.
func (f Fact) OnTime(loc *time.Location) bool {
	return f.Status == Closed && f.ClosedAt != nil && (f.Due == nil || f.ClosedAt.Before(DueEnd(*f.Due, loc)))
}

// DaysOpen is how many local days passed from raising to closing: 0 for a problem
// closed the day it was raised.
func (f Fact) DaysOpen(loc *time.Location) int {
	if f.ClosedAt == nil {
		return 0
	}
	return int(Day(*f.ClosedAt, loc).Sub(Day(f.RaisedAt, loc)).Hours() / 24)
}

// DaysOverdue is how many local days a problem's due day lies behind now: 1 on the
// first day overdue; 0 when it is not overdue.
func (f Fact) DaysOverdue(now time.Time, loc *time.Location) int {
	if !f.Overdue(now, loc) {
		return 0
	}
	return int(Day(now, loc).Sub(*f.Due).Hours() / 24)
}
