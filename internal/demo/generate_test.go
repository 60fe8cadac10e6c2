package demo

import (
	"bytes"
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/surveyfile"
	"minyi/internal/testenv"
	"minyi/surveys"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// demoStore is a store with the demo areas and the default survey, a round open
// since an hour ago.
func demoStore(t *testing.T) (*store.Store, *survey.Definition, store.Round) {
	t.Helper()
	ctx := context.Background()
	st := store.New(testenv.DB(t), 30*time.Second, shanghai)
	rows, err := area.ParseCSV(AreasFile, bytes.NewReader(AreasCSV))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ImportAreas(ctx, AreasFile, rows); err != nil {
		t.Fatal(err)
	}
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ImportSurvey(ctx, def, nil); err != nil {
		t.Fatal(err)
	}
	round, err := st.StartRound(ctx, def.ID, "本轮", nil, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	def.Version = round.Version
	return st, def, round
}

// TestResponsesAndClear stores real and demo responses, checks what the demo made,
// then clears it: only the real responses remain, and the figures are theirs.
func TestResponsesAndClear(t *testing.T) {
	ctx := context.Background()
	st, def, open := demoStore(t)
	all, err := st.Subtree(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	// Three real responses, one unhappy.
	var real []store.Submission
	for i, sat := range []string{"satisfied", "basic", "dissatisfied"} {
		raw := map[string]any{}
		for _, q := range def.Questions {
			if q.Required {
				raw[q.ID] = q.Options[0].ID
			}
		}
		raw["q21"] = sat
		answers, err := def.Check(raw)
		if err != nil {
			t.Fatal(err)
		}
		real = append(real, store.Submission{ClientID: uuid.New(), Round: open, AreaID: all[5+i].ID,
			Channel: survey.ChannelQR, Answers: answers, Definition: def, ContentHash: "real"})
	}
	for _, out := range st.SubmitBatch(ctx, real, time.Now()) {
		if out.Err != nil {
			t.Fatal(out.Err)
		}
	}
	figures := func() map[int64]store.Counts {
		t.Helper()
		c, err := st.Counts(ctx, all, store.CountFilter{SurveyID: def.ID})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Reads no longer count what is queued: count the real responses first.
	if _, err := st.Fold(ctx); err != nil {
		t.Fatal(err)
	}
	before := figures()

	start := time.Now()
	opts := Options{Survey: def.ID, N: 2400, Seed: 7, Now: time.Now(), Loc: shanghai}
	rep, err := Responses(ctx, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("2400 demo responses in %v", time.Since(start))
	if rep.Stored != 2400 || rep.Replayed != 0 || !rep.Created {
		t.Errorf("first run: got stored %d, replayed %d, created %v; want 2400, 0, true", rep.Stored, rep.Replayed, rep.Created)
	}
	if rep.Previous.ClosesAt == nil || rep.Previous.ClosesAt.After(open.OpenedAt) {
		t.Errorf("previous round %+v: want one closed before the open round opened at %v", rep.Previous, open.OpenedAt)
	}
	if n, err := st.DemoResponses(ctx); err != nil || n != 2400 {
		t.Errorf("DemoResponses: got %d, %v; want 2400", n, err)
	}
	checkDemo(t, st, def, rep, all)

	again, err := Responses(ctx, st, Options{Survey: def.ID, N: 2400, Seed: 7, Now: time.Now(), Loc: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	if again.Stored != 0 || again.Replayed != 2400 || again.Created || again.Previous.ID != rep.Previous.ID {
		t.Errorf("same seed again: got stored %d, replayed %d, created %v; want 0, 2400, false", again.Stored, again.Replayed, again.Created)
	}

	removed, rounds, err := st.ClearDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2400 || rounds != 1 {
		t.Errorf("ClearDemo: got %d responses, %d rounds; want 2400, 1", removed, rounds)
	}
	if n, _ := st.DemoResponses(ctx); n != 0 {
		t.Errorf("demo responses after clearing: got %d, want 0", n)
	}
	if after := figures(); !reflect.DeepEqual(after, before) {
		t.Errorf("figures after clearing differ from the real responses' figures:\ngot  %v\nwant %v", after, before)
	}
	if rs, _ := st.Rounds(ctx, def.ID); len(rs) != 1 || rs[0].ID != open.ID {
		t.Errorf("rounds after clearing: got %+v, want only the open one", rs)
	}
}

// checkDemo checks what the demo promises: both rounds filled, channels mixed, rates
// that differ by community with some below target, and a few small samples.
func checkDemo(t *testing.T, st *store.Store, def *survey.Definition, rep Report, all []area.Area) {
	t.Helper()
	ctx := context.Background()
	var units []area.Area
	for _, a := range all {
		if a.IsCommunity() {
			units = append(units, a)
		}
	}
	sat := def.Indicators[2] // 满意率
	for _, r := range []store.Round{rep.Previous, rep.Open} {
		counts, err := st.Counts(ctx, append([]area.Area{all[0]}, units...), store.CountFilter{SurveyID: def.ID, RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		total := counts[all[0].ID].Respondents()
		var below, small, ranked int
		for _, u := range units {
			res := stats.Compute(sat, counts[u.ID][sat.Question], stats.DefaultSmallSample)
			switch {
			case res.SmallSample:
				small++
			case !*res.MeetsTarget:
				below++
				ranked++
			default:
				ranked++
			}
		}
		if below == 0 || small == 0 || ranked < len(units)/2 {
			t.Errorf("round %s: %d communities below target, %d small samples, %d ranked; want some of each, most ranked",
				r.Name, below, small, ranked)
		}
		for _, ch := range []struct {
			channel  string
			low, max float64
		}{{"qr", 0.5, 0.7}, {"volunteer", 0.2, 0.4}, {"paper", 0.04, 0.16}} {
			c, err := st.Counts(ctx, all[:1], store.CountFilter{SurveyID: def.ID, RoundID: r.ID, Channel: ch.channel})
			if err != nil {
				t.Fatal(err)
			}
			if share := float64(c[all[0].ID].Respondents()) / float64(total); share < ch.low || share > ch.max {
				t.Errorf("round %s: %s share %.2f, want %.2f–%.2f", r.Name, ch.channel, share, ch.low, ch.max)
			}
		}
	}
}

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
