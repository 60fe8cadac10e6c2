package store

import "time"

// Review rules for door-to-door entries. An entry that meets one is flagged in
// responses.review for a second look, never refused: a volunteer may be quick, and
// an evening's entries synced at once are normal.
const (
	// ReviewFast: an interview that ended less than this after it started is "fast".
	ReviewFast = 60 * time.Second
	// ReviewBurstWindow and ReviewBurstMax: an entry that follows ReviewBurstMax or more
	// entries of the same account ending within the window before it is a "burst".
	ReviewBurstWindow = 10 * time.Minute
	ReviewBurstMax    = 5
)

// visitTime is the local day and the hour of a visit that ended at finished (at now
// when unknown). The visit log keeps only the hour, so that it cannot be joined back
// to responses by their times.
func (s *Store) visitTime(finished *time.Time, now time.Time) (day, hour time.Time) {
	t := now
	if finished != nil {
		t = *finished
	}
	t = t.In(s.loc)
	return s.localDay(t), time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, s.loc)
}

// localDay is the calendar day of t where the store counts days, as the midnight that
// starts it: pgx sends a time.Time to a date column in binary, a string only as text.
func (s *Store) localDay(t time.Time) time.Time {
	t = t.In(s.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
}
