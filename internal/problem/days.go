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

// A problem due on a day is on time until the local midnight that ends it: closing
// at 23:59 that day is on time, at 00:00 the next day late; from that midnight on, a
// problem not closed is overdue.

// Overdue reports whether a problem is overdue at now: not closed, and its due day
// has ended.
func (f Fact) Overdue(now time.Time, loc *time.Location) bool {
	return f.overdueOn(Day(now, loc))
}

// overdueOn reports whether the problem is overdue on the local day today: its due
// day ended when today began.
func (f Fact) overdueOn(today time.Time) bool {
	return f.Status != Closed && f.Due != nil && today.After(*f.Due)
}

// OnTime reports whether a closed problem was closed by the end of its due day: on a
// local day not after it. A
// problem closed without a due day (none is) counts as on time.
func (f Fact) OnTime(loc *time.Location) bool {
	return f.Status == Closed && f.ClosedAt != nil && (f.Due == nil || !Day(*f.ClosedAt, loc).After(*f.Due))
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
