package demo

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/surveyfile"
	"minyi/surveys"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// TestPlanDeterministic checks that a seed always gives the same responses, each
// valid for the survey, and another seed others.
func TestPlanDeterministic(t *testing.T) {
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	units := []area.Area{{ID: 1, Code: "c1", Kind: "community"}, {ID: 2, Code: "c2", Kind: "community"},
		{ID: 3, Code: "c3", Kind: "village"}, {ID: 4, Code: "c4", Kind: "community"}}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai)
	end := start.Add(10 * 24 * time.Hour)
	gen := func(seed uint64) []planned {
		rng := rand.New(rand.NewPCG(seed, 0x6d696e7969))
		p, err := plan(rng, def, store.Round{ID: 1}, newProfiles(rng, units), 400, 0, start, end, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c := gen(3), gen(3), gen(4)
	if len(a) != 400 {
		t.Fatalf("planned: got %d, want 400", len(a))
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("seed 3 twice: got different responses")
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 3 and 4: got the same responses")
	}
	var phones, suggestions int
	for _, p := range a {
		if p.at.Before(start) || !p.at.Before(end) {
			t.Errorf("submitted at %v, want within %v–%v", p.at, start, end)
		}
		if _, err := def.Check(map[string]any(p.sub.Answers)); err != nil {
			t.Errorf("stored answers fail validation again: %v", err)
		}
		if _, ok := p.sub.Answers["q27"]; ok {
			phones++
		}
		if _, ok := p.sub.Answers["q25"]; ok {
			suggestions++
		}
	}
	if phones == 0 || phones > 40 || suggestions < 30 || suggestions > 120 {
		t.Errorf("got %d call-back numbers and %d suggestions in 400, want a few and some", phones, suggestions)
	}
}
