package survey

import (
	"testing"
	"time"
)

func TestDefaultRoundName(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), "2026年11月第1轮"},
		{time.Date(2026, 11, 15, 23, 59, 0, 0, time.UTC), "2026年11月第1轮"},
		{time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), "2026年11月第2轮"},
		{time.Date(2027, 2, 28, 12, 0, 0, 0, time.UTC), "2027年2月第2轮"},
	} {
		if got := DefaultRoundName(tc.day); got != tc.want {
			t.Errorf("DefaultRoundName(%s): got %s, want %s", tc.day.Format(time.DateOnly), got, tc.want)
		}
	}
}
