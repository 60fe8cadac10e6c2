package store_test

import (
	"context"
	"errors"
	"fmt"
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
		// c2's one paper answer shows only its round: it comes last.
		{"district", store.ResponseFilter{AreaPath: r.areas["d1"].Path}, []string{"c1", "c3", "c2"}},
		{"community", store.ResponseFilter{AreaPath: r.areas["c2"].Path}, []string{"c2"}},
		{"paper", store.ResponseFilter{AreaPath: r.areas["d1"].Path, Channel: "paper"}, []string{"c2"}},
		{"from yesterday", store.ResponseFilter{AreaPath: r.areas["d1"].Path, From: &yesterday}, []string{"c3", "c2"}},
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

// TestEachResponseGrain shows a door-to-door answer by day where its area and
// channel have at least store.MinDoorGroup that day, else by week where the week has
// as many, else by round; a resident's answer by its time. Days filter door-to-door
// answers by their period.
func TestEachResponseGrain(t *testing.T) {
	now := time.Now().In(shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, shanghai)
	monday := today.AddDate(0, 0, -int(today.Weekday()+6)%7-14) // two weeks ago
	r := newResponses(t, monday.AddDate(0, 0, -1))
	at := func(day, hour, minute int) time.Time {
		return monday.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	for _, s := range []struct {
		code    string
		channel survey.Channel
		when    []time.Time
	}{
		{"c1", survey.ChannelVolunteer, []time.Time{at(0, 19, 0), at(0, 19, 10), at(0, 19, 20), at(0, 20, 0), at(0, 21, 5)}}, // 5 on Monday
		{"c1", survey.ChannelVolunteer, []time.Time{at(1, 19, 0), at(1, 20, 0), at(2, 19, 0), at(2, 19, 30), at(2, 20, 0)}},  // 2 + 3 in the week
		{"c1", survey.ChannelPaper, []time.Time{at(0, 10, 0), at(0, 11, 0), at(0, 12, 0), at(0, 13, 0)}},                     // 4 on Monday: round
		{"c2", survey.ChannelVolunteer, []time.Time{at(8, 19, 0)}},                                                           // 1 in the round
		{"c3", survey.ChannelQR, []time.Time{at(0, 19, 5)}},
	} {
		for _, when := range s.when {
			if _, _, err := r.submit(r.sub(s.code, s.channel, r.answers(nil)), when); err != nil {
				t.Fatal(err)
			}
		}
	}
	list := func(f store.ResponseFilter) map[string]int {
		t.Helper()
		f.RoundID, f.AreaPath = r.round.ID, r.areas["d1"].Path
		got := map[string]int{}
		err := r.st.EachResponse(context.Background(), f, func(x store.ExportedResponse) error {
			door := x.Channel != survey.ChannelQR
			if door && !x.SubmittedAt.IsZero() {
				t.Errorf("door-to-door answer of %s: got time %v, want none", x.AreaCode, x.SubmittedAt)
			}
			key := fmt.Sprintf("%s %s %s", x.AreaCode, x.Channel, x.Grain)
			switch x.Grain {
			case store.GrainTime:
				key += " " + x.SubmittedAt.In(shanghai).Format("01-02 15:04")
			case store.GrainDay, store.GrainWeek:
				key += " " + x.Period.Format("01-02")
			}
			got[key]++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	d := func(n int) string { return monday.AddDate(0, 0, n).Format("01-02") }
	for _, tc := range []struct {
		name string
		f    store.ResponseFilter
		want map[string]int
	}{
		{"all", store.ResponseFilter{}, map[string]int{
			"c1 volunteer day " + d(0): 5, "c1 volunteer week " + d(0): 5, "c1 paper round": 4, "c2 volunteer round": 1,
			"c3 qr time " + d(0) + " 19:05": 1}},
		{"Tuesday", store.ResponseFilter{From: ptr(monday.AddDate(0, 0, 1)), To: ptr(monday.AddDate(0, 0, 1))}, map[string]int{
			"c1 volunteer week " + d(0): 5, "c1 paper round": 4, "c2 volunteer round": 1}},
		{"volunteers", store.ResponseFilter{Channel: "volunteer"}, map[string]int{
			"c1 volunteer day " + d(0): 5, "c1 volunteer week " + d(0): 5, "c2 volunteer round": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.f); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
