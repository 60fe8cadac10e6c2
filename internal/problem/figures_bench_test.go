package problem

import (
	"testing"
	"time"
)

// BenchmarkSummarize sums up a year of a district's problems (2,000 a month).
func BenchmarkSummarize(b *testing.B) {
	now := at(12, 31, 12, 0)
	facts := make([]Fact, 24000)
	for i := range facts {
		raised := now.Add(-time.Duration(i) * 20 * time.Minute)
		due := Day(raised, shanghai).AddDate(0, 0, 7)
		f := Fact{Status: Assigned, RaisedAt: raised, Due: &due}
		if i%3 != 0 {
			closed := raised.Add(time.Duration(i%200) * time.Hour)
			f.Status, f.ClosedAt, f.Contacted = Closed, &closed, i%2 == 0
		}
		facts[i] = f
	}
	b.ReportAllocs()
	for b.Loop() {
		Summarize(facts, now, shanghai)
	}
}
