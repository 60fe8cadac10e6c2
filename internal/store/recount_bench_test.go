package store_test

import (
	"context"
	"testing"
	"time"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// BenchmarkRebuildCounts recounts 20,000 responses of every channel spread over a
// district's communities, streaming them through the fold's counting rule. It reports
// responses recounted per second.
func BenchmarkRebuildCounts(b *testing.B) {
	r := newResponses(b, time.Now().Add(-time.Hour))
	ctx := context.Background()
	const n = 20000
	codes := []string{"c1", "c2", "c3", "s1", "d1"}
	channels := []survey.Channel{survey.ChannelQR, survey.ChannelVolunteer, survey.ChannelPaper}
	answers := []survey.Answers{
		r.answers(nil),
		r.answers(map[string]any{"q4": "dont_know", "q24": []any{"parking", "dogs"}, "q25": "路灯坏了 13812345678"}),
		r.answers(map[string]any{"q1": "student", "q21": "unknown"}),
	}
	subs := make([]store.Submission, 0, 1000)
	for i := range n {
		subs = append(subs, r.sub(codes[i%len(codes)], channels[i%len(channels)], answers[i%len(answers)]))
		if len(subs) == cap(subs) {
			for _, out := range r.st.SubmitBatch(ctx, subs, time.Now()) {
				if out.Err != nil {
					b.Fatal(out.Err)
				}
			}
			subs = subs[:0]
		}
	}
	if _, err := r.st.Fold(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := r.st.RebuildCounts(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "responses/s")
	if got := r.count("d1"); got != n {
		b.Errorf("respondents after the recount: got %d, want %d", got, n)
	}
}
