package survey

import (
	"testing"
	"time"
)

func TestDefaultRoundName(t *testing.T) {
	for _, tc := range []struct {
		day   time.Time
		taken []string
		want  string
	}{
		{time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), nil, "2026年11月第1轮"},
		{time.Date(2026, 11, 15, 23, 59, 0, 0, time.UTC), nil, "2026年11月第1轮"},
		{time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), nil, "2026年11月第2轮"},
		{time.Date(2027, 2, 28, 12, 0, 0, 0, time.UTC), nil, "2027年2月第2轮"},
		{time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), []string{"2026年11月第1轮"}, "2026年11月第2轮"},
		{time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), []string{"2026年11月第2轮", "2026年11月第1轮"}, "2026年11月第3轮"},
		{time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), []string{"2026年10月第2轮", "2026年1月第1轮", "2025年11月第1轮"}, "2026年11月第1轮"},
		{time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC), []string{"2026年11月第1轮", "2026年1月第1轮（补测）"}, "2026年1月第2轮"},
		{time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), []string{"2026年11月第十轮", "测试轮"}, "2026年11月第1轮"},
	} {
		if got := DefaultRoundName(tc.day, tc.taken); got != tc.want {
			t.Errorf("DefaultRoundName(%s, %v): got %s, want %s", tc.day.Format(time.DateOnly), tc.taken, got, tc.want)
		}
	}
}
