package demo_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/demo"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/testenv"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// demoStore is a store with the demo areas and the default survey, a round open
// since an hour ago.
func demoStore(t *testing.T) (*store.Store, *survey.Definition, store.Round) {
	t.Helper()
	st := store.New(testenv.DB(t), 30*time.Second, shanghai)
	testenv.DemoAreas(t, st)
	round, def := testenv.OpenRound(t, st, time.Now().Add(-time.Hour))
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
	opts := demo.Options{Survey: def.ID, N: 2400, Seed: 7, Now: time.Now(), Loc: shanghai}
	rep, err := demo.Responses(ctx, st, opts)
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

	again, err := demo.Responses(ctx, st, demo.Options{Survey: def.ID, N: 2400, Seed: 7, Now: time.Now(), Loc: shanghai})
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
func checkDemo(t *testing.T, st *store.Store, def *survey.Definition, rep demo.Report, all []area.Area) {
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
