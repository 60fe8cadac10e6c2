package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// TestEachResponse lists the responses of a subtree, oldest first, narrowed by channel
// and days, and stops at the first error of the callback.
func TestEachResponse(t *testing.T) {
	r := newResponses(t, time.Now().Add(-72*time.Hour))
	days := []time.Time{time.Now().Add(-48 * time.Hour), time.Now().Add(-24 * time.Hour), time.Now()}
	for i, s := range []struct {
		code    string
		channel survey.Channel
	}{{"c1", survey.ChannelQR}, {"c2", survey.ChannelPaper}, {"c3", survey.ChannelQR}} {
		a := r.answers(map[string]any{"q25": s.code + " 的建议"})
		if _, _, err := r.submit(r.sub(s.code, s.channel, a), days[i]); err != nil {
			t.Fatal(err)
		}
	}
	yesterday := days[1].In(shanghai) // filters name local days
	for _, tc := range []struct {
		name string
		f    store.ResponseFilter
		want []string // area codes, in order
	}{
		{"street", store.ResponseFilter{AreaPath: r.areas["s1"].Path}, []string{"c1", "c2"}},
		{"district", store.ResponseFilter{AreaPath: r.areas["d1"].Path}, []string{"c1", "c2", "c3"}},
		{"community", store.ResponseFilter{AreaPath: r.areas["c2"].Path}, []string{"c2"}},
		{"paper", store.ResponseFilter{AreaPath: r.areas["d1"].Path, Channel: "paper"}, []string{"c2"}},
		{"from yesterday", store.ResponseFilter{AreaPath: r.areas["d1"].Path, From: &yesterday}, []string{"c2", "c3"}},
		{"until yesterday", store.ResponseFilter{AreaPath: r.areas["d1"].Path, To: &yesterday}, []string{"c1", "c2"}},
		{"other round", store.ResponseFilter{AreaPath: r.areas["d1"].Path, RoundID: r.round.ID + 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.f.RoundID == 0 {
				tc.f.RoundID = r.round.ID
			}
			var got []string
			err := r.st.EachResponse(context.Background(), tc.f, func(x store.ExportedResponse) error {
				if x.Answers["q25"] != x.AreaCode+" 的建议" || x.AreaName == "" {
					t.Errorf("response of %s: got answers %v, area name %q", x.AreaCode, x.Answers, x.AreaName)
				}
				got = append(got, x.AreaCode)
				return nil
			})
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	stop := errors.New("stop")
	n := 0
	err := r.st.EachResponse(context.Background(), store.ResponseFilter{RoundID: r.round.ID, AreaPath: "/"},
		func(store.ExportedResponse) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("callback error: got %v after %d responses, want stop after 1", err, n)
	}
}
