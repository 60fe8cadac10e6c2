package store

import "time"

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
