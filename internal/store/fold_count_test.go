package store

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// countQueued on its own: answers of every kind, a response whose stored answers are
// not an object (counted as a respondent, as the recount does), and the call-back number
// taken from the first phone question by id, masked.
func TestCountQueued(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	questions := map[int64]map[string]countedQuestion{7: {
		"q1":  {ID: "q1", Type: "single"},
		"q2":  {ID: "q2", Type: "multi"},
		"q3":  {ID: "q3", Type: "text"},
		"q8":  {ID: "q8", Type: "text", Phone: true},
		"q10": {ID: "q10", Type: "text", Phone: true},
	}}
	paths := map[int64][]int64{30: {1, 2, 30}}
	one := queued{ID: uuid.New(), Sign: 1, RoundID: 5, VersionID: 7, AreaID: 30, Channel: "qr", Day: day,
		Answers: []byte(`{"q1": "a", "q2": ["x", "y"], "q3": "路灯", "q8": "13800000008", "q10": "13800000010", "q9": "unknown", "q1x": 3}`)}
	odd := queued{ID: uuid.New(), Sign: 1, RoundID: 5, VersionID: 7, AreaID: 30, Channel: "qr", Day: day, Answers: []byte(`"oops"`)}
	f := countQueued([]queued{one, odd}, questions, paths)
	key := func(area int64, q, o string) tallyKey { return tallyKey{5, area, "qr", day, q, o} }
	for _, area := range []int64{1, 2, 30} {
		for k, want := range map[tallyKey]int32{
			key(area, "", ""): 2, key(area, "q1", "a"): 1, key(area, "q2", "x"): 1, key(area, "q2", "y"): 1,
			key(area, "q2", AnsweredOption): 1,
		} {
			if got := f.tallies()[k]; got != want {
				t.Errorf("%+v: got %d, want %d", k, got, want)
			}
		}
	}
	if got := f.tallies(); len(got) != 15 {
		t.Errorf("got %d counters, want 15: %v", len(got), got)
	}
	if len(f.suggestions) != 1 || f.suggestions[0].Body != "路灯" || f.suggestions[0].Phone != "138****0010" {
		t.Errorf("suggestions: got %+v, want one, 路灯 with the answer to q10 (before q8 by id)", f.suggestions)
	}
}

// A response taken out of the counts (sign -1) subtracts exactly what it added, and
// its suggestions are withdrawn rather than filed.
func TestCountQueuedWithdrawn(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	questions := map[int64]map[string]countedQuestion{7: {
		"q1": {ID: "q1", Type: "single"},
		"q2": {ID: "q2", Type: "multi"},
		"q3": {ID: "q3", Type: "text"},
	}}
	paths := map[int64][]int64{30: {1, 30}}
	answers := []byte(`{"q1": "a", "q2": ["x"], "q3": "路灯"}`)
	in := queued{ID: uuid.New(), Sign: 1, RoundID: 5, VersionID: 7, AreaID: 30, Channel: "qr", Day: day, Answers: answers}
	out := queued{ID: uuid.New(), Sign: -1, RoundID: 5, VersionID: 7, AreaID: 30, Channel: "qr", Day: day, Answers: answers}
	for _, tc := range []struct {
		name      string
		batch     []queued
		want      int32
		suggested int
		withdrawn int
	}{
		{"out alone", []queued{out}, -1, 0, 1},
		{"in and out", []queued{in, out}, 0, 1, 1},
	} {
		f := countQueued(tc.batch, questions, paths)
		for _, area := range []int64{1, 30} {
			for _, k := range []tallyKey{{5, area, "qr", day, "", ""}, {5, area, "qr", day, "q1", "a"}, {5, area, "qr", day, "q2", "x"}} {
				if got := f.tallies()[k]; got != tc.want {
					t.Errorf("%s: %+v: got %d, want %d", tc.name, k, got, tc.want)
				}
			}
		}
		if len(f.suggestions) != tc.suggested || len(f.withdrawn) != tc.withdrawn {
			t.Errorf("%s: got %d suggestions and %d withdrawn, want %d and %d", tc.name, len(f.suggestions), len(f.withdrawn), tc.suggested, tc.withdrawn)
		}
	}
}

// A resident's counters are kept once more under ResidentPrefix, and taken out again
// with the response; another respondent's are not.
func TestCountQueuedResidents(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	questions := map[int64]map[string]countedQuestion{7: {
		"q1": {ID: "q1", Type: "single", Resident: "resident"},
		"q4": {ID: "q4", Type: "single"},
		"q2": {ID: "q2", Type: "multi"},
	}}
	paths := map[int64][]int64{30: {1, 30}}
	resp := func(sign int32, answers string) queued {
		return queued{ID: uuid.New(), Sign: sign, RoundID: 5, VersionID: 7, AreaID: 30, Channel: "qr", Day: day, Answers: []byte(answers)}
	}
	f := countQueued([]queued{
		resp(1, `{"q1": "resident", "q4": "know", "q2": ["x"]}`),
		resp(1, `{"q1": "resident", "q4": "dont_know"}`),
		resp(1, `{"q1": "student", "q4": "know"}`),
		resp(-1, `{"q1": "resident", "q4": "know"}`), // rejected after it was counted
	}, questions, paths)
	key := func(q, o string) tallyKey { return tallyKey{5, 1, "qr", day, q, o} }
	for k, want := range map[tallyKey]int32{
		key("", ""): 2, key("q4", "know"): 1, key("q4", "dont_know"): 1, key("q1", "resident"): 1, key("q1", "student"): 1,
		key(ResidentPrefix, ""): 1, key(ResidentPrefix+"q4", "know"): 0, key(ResidentPrefix+"q4", "dont_know"): 1,
		key(ResidentPrefix+"q1", "resident"): 1, key(ResidentPrefix+"q1", "student"): 0,
		key(ResidentPrefix+"q2", "x"): 1, key(ResidentPrefix+"q2", AnsweredOption): 1,
	} {
		if got := f.tallies()[k]; got != want {
			t.Errorf("%s %s: got %d, want %d", k.Question, k.Option, got, want)
		}
	}
}
