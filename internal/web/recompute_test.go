package web

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/internal/survey"
)

// The figures of this file are recomputed from the raw response rows, with formulas
// written out here afresh (not stats'), and compared with what the API says.

// rawWilson is the Wilson score interval, z = 1.959964, exact at 0 and 1.
func rawWilson(x, n int) (float64, float64) {
	p, fn, z := float64(x)/float64(n), float64(n), 1.959964
	mid := (p + z*z/(2*fn)) / (1 + z*z/fn)
	half := z / (1 + z*z/fn) * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn))
	lo, hi := math.Max(0, mid-half), math.Min(1, mid+half)
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return lo, hi
}

type rawTally struct{ x, n int }

// rawRow is one counted response: where, when, and its answer to the satisfaction
// question.
type rawRow struct {
	path     string
	round    int64
	q21      string
	resident bool
}

func TestFiguresRecomputedFromRawRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	before := e.pastRound("10月第1轮", cst(2026, 10, 1, 0), cst(2026, 10, 31, 0))
	sat := func(option string) map[string]any { return map[string]any{"q21": option} }
	c := func(n int) string { return fmt.Sprintf("99010000100%d", n) }
	e.seedResponses(before, cst(2026, 10, 15, 10),
		batch{c(1), survey.ChannelQR, 61, sat("very_satisfied")}, batch{c(1), survey.ChannelQR, 9, sat("dissatisfied")},
		batch{c(2), survey.ChannelQR, 40, sat("basic")}, batch{c(2), survey.ChannelPaper, 20, sat("very_dissatisfied")},
		batch{c(3), survey.ChannelVolunteer, 50, sat("satisfied")}, batch{c(3), survey.ChannelQR, 5, sat("unknown")},
		batch{c(4), survey.ChannelQR, 33, sat("satisfied")}, batch{c(4), survey.ChannelQR, 2, sat("dissatisfied")},
	)
	e.seedResponses(e.round, time.Now(),
		batch{c(1), survey.ChannelQR, 179, sat("very_satisfied")}, batch{c(1), survey.ChannelQR, 2, sat("dissatisfied")},
		batch{c(2), survey.ChannelQR, 52, sat("basic")}, batch{c(2), survey.ChannelVolunteer, 18, sat("dissatisfied")},
		batch{c(3), survey.ChannelVolunteer, 90, sat("satisfied")}, batch{c(3), survey.ChannelQR, 7, sat("unknown")},
		batch{c(3), survey.ChannelPaper, 6, sat("very_dissatisfied")},
		batch{c(4), survey.ChannelQR, 30, sat("satisfied")},
		batch{c(5), survey.ChannelQR, 12, sat("satisfied")}, batch{c(5), survey.ChannelQR, 28, sat("dissatisfied")},
		batch{street1, survey.ChannelVolunteer, 11, sat("basic")},
		// Not residents: in every figure but the residents-only view.
		batch{c(1), survey.ChannelQR, 25, map[string]any{"q1": "student", "q21": "dissatisfied"}},
		batch{c(2), survey.ChannelQR, 9, map[string]any{"q1": "migrant_worker", "q21": "very_satisfied"}},
	)
	// 江南新村社区 leaves the survey's scope: never compared, still in the street's totals.
	if _, err := e.pool.Exec(ctx, `UPDATE areas SET in_scope = false WHERE code = $1`, c(5)); err != nil {
		t.Fatal(err)
	}

	rows, err := e.pool.Query(ctx, `SELECT a.path, x.round_id, coalesce(x.answers->>'q21', ''), x.answers->>'q1' = 'resident'
		FROM responses x JOIN areas a ON a.id = x.area_id WHERE x.status = 'counted'`)
	if err != nil {
		t.Fatal(err)
	}
	var raw []rawRow
	for rows.Next() {
		var r rawRow
		if err := rows.Scan(&r.path, &r.round, &r.q21, &r.resident); err != nil {
			t.Fatal(err)
		}
		raw = append(raw, r)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	areaPath := map[string]string{}
	inScope := map[string]bool{}
	households := map[string]int{}
	arows, err := e.pool.Query(ctx, `SELECT code, path, in_scope, coalesce(households, 0) FROM areas`)
	if err != nil {
		t.Fatal(err)
	}
	for arows.Next() {
		var code, path string
		var scope bool
		var hh int
		if err := arows.Scan(&code, &path, &scope, &hh); err != nil {
			t.Fatal(err)
		}
		areaPath[code], inScope[code], households[code] = path, scope, hh
	}
	// tallyOf pools the satisfaction answers of a subtree in a round (residents' only,
	// or everyone's): 不了解 left out.
	tallyOf := func(code string, round int64, residents bool) rawTally {
		var t rawTally
		for _, r := range raw {
			if r.round != round || !strings.HasPrefix(r.path, areaPath[code]) || r.q21 == "" || r.q21 == "unknown" || residents && !r.resident {
				continue
			}
			t.n++
			if slices.Contains([]string{"very_satisfied", "satisfied", "basic"}, r.q21) {
				t.x++
			}
		}
		return t
	}
	tally := func(code string, round int64) rawTally { return tallyOf(code, round, false) }
	kids := []string{c(1), c(2), c(3), c(4), c(5)}

	// The ranking: p0 over the in-scope children, k by the method of moments, each
	// area's interval, tier and shrunk rate.
	var rk rankingReply
	dashGet(t, e, "/api/v1/dashboard/ranking?survey=chuangwen&indicator=satisfaction&area="+street1, &rk)
	var sx, sn, sn2 float64
	var m float64
	for _, k := range kids {
		if tl := tally(k, e.round.ID); inScope[k] && tl.n > 0 {
			sx, sn, sn2, m = sx+float64(tl.x), sn+float64(tl.n), sn2+float64(tl.n*tl.n), m+1
		}
	}
	p0 := sx / sn
	var ss float64
	for _, k := range kids {
		if tl := tally(k, e.round.ID); inScope[k] && tl.n > 0 {
			d := float64(tl.x)/float64(tl.n) - p0
			ss += float64(tl.n) * d * d
		}
	}
	rho := (ss/(p0*(1-p0)) - (m - 1)) / (sn - sn2/sn - (m - 1))
	k := math.Min(2000, math.Max(2, 1/rho-1))
	if rk.P0 == nil || math.Abs(*rk.P0-p0) > 1e-9 || math.Abs(rk.K-k) > 1e-9 {
		t.Fatalf("ranking: got p0 %v k %v, want %v and %v", rk.P0, rk.K, p0, k)
	}
	if len(rk.OutOfScope) != 1 || rk.OutOfScope[0].Area.Code != c(5) || len(rk.Ranked) != 4 {
		t.Errorf("ranking: got %d ranked and out of scope %v, want 4 and %s", len(rk.Ranked), rk.OutOfScope, c(5))
	}
	tierOrder := map[string]int{"above": 0, "within": 1, "below": 2}
	last := ""
	for i, a := range rk.Ranked {
		tl := tally(a.Area.Code, e.round.ID)
		lo, hi := rawWilson(tl.x, tl.n)
		tier := "within"
		if hi < p0 {
			tier = "below"
		} else if lo > p0 {
			tier = "above"
		}
		shrunk := (float64(tl.x) + k*p0) / (float64(tl.n) + k)
		if a.Positive != tl.x || a.Valid != tl.n || math.Abs(*a.Rate-float64(tl.x)/float64(tl.n)) > 1e-9 ||
			math.Abs(*a.CILow-lo) > 1e-9 || math.Abs(*a.CIHigh-hi) > 1e-9 || string(a.Tier) != tier || math.Abs(a.Shrunk-shrunk) > 1e-9 {
			t.Errorf("%s: got %d/%d %v–%v %s %v, want %d/%d %v–%v %s %v", a.Area.Code, a.Positive, a.Valid, *a.CILow, *a.CIHigh,
				a.Tier, a.Shrunk, tl.x, tl.n, lo, hi, tier, shrunk)
		}
		if i > 0 {
			prev := rk.Ranked[i-1]
			if tierOrder[string(prev.Tier)] > tierOrder[tier] || prev.Tier == a.Tier && prev.Shrunk < a.Shrunk {
				t.Errorf("order: %s (%s %v) before %s (%s %v)", last, prev.Tier, prev.Shrunk, a.Area.Code, a.Tier, a.Shrunk)
			}
		}
		last = a.Area.Code
	}

	// The street's change since the round before: Newcombe's hybrid score interval.
	var ov overviewReply
	dashGet(t, e, "/api/v1/dashboard/overview?survey=chuangwen&area="+street1, &ov)
	now, old := tally(street1, e.round.ID), tally(street1, before.ID)
	p2, p1 := float64(now.x)/float64(now.n), float64(old.x)/float64(old.n)
	l2, u2 := rawWilson(now.x, now.n)
	l1, u1 := rawWilson(old.x, old.n)
	d := p2 - p1
	low, high := d-math.Sqrt((p2-l2)*(p2-l2)+(u1-p1)*(u1-p1)), d+math.Sqrt((u2-p2)*(u2-p2)+(p1-l1)*(p1-l1))
	f := ov.Indicators[2]
	if f.ID != "satisfaction" || f.Positive != now.x || f.Valid != now.n || f.Change == nil || f.Change.Diff == nil ||
		math.Abs(*f.Change.Diff-d) > 1e-9 || math.Abs(*f.Change.Low-low) > 1e-9 || math.Abs(*f.Change.High-high) > 1e-9 ||
		*f.Change.Significant != (low > 0 || high < 0) {
		t.Errorf("overview change: got %d/%d %+v, want %d/%d %v [%v, %v]", f.Positive, f.Valid, f.Change, now.x, now.n, d, low, high)
	}

	// The households-weighted view of the street: its leaves with households and answers.
	var wv indicatorsReply
	if status := e.getJSON("/api/v1/indicators?survey=chuangwen&weight=households&area="+street1, &wv, e.auth()...); status != 200 {
		t.Fatalf("weighted indicators: got %d", status)
	}
	var total, rate, v float64
	for _, k := range kids {
		if tl := tally(k, e.round.ID); tl.n > 0 && households[k] > 0 {
			total += float64(households[k])
		}
	}
	for _, k := range kids {
		tl := tally(k, e.round.ID)
		if tl.n == 0 || households[k] == 0 {
			continue
		}
		w, p := float64(households[k])/total, float64(tl.x)/float64(tl.n)
		rate += w * p
		v += w * w * p * (1 - p) / float64(tl.n)
	}
	wl, wh := math.Max(0, rate-1.959964*math.Sqrt(v)), math.Min(1, rate+1.959964*math.Sqrt(v))
	g := wv.Rows[0].Indicators[2]
	if wv.Weight != "households" || wv.Respondent != "all" || !g.Weighted || g.Rate == nil ||
		math.Abs(*g.Rate-rate) > 1e-9 || math.Abs(*g.CILow-wl) > 1e-9 || math.Abs(*g.CIHigh-wh) > 1e-9 {
		t.Errorf("weighted: got %s %v %v–%v, want households %v %v–%v", wv.Weight, g.Rate, g.CILow, g.CIHigh, rate, wl, wh)
	}
	// The residents-only view, read from the residents' own counters.
	var rv indicatorsReply
	if status := e.getJSON("/api/v1/indicators?survey=chuangwen&respondent=resident&by=children&area="+street1, &rv, e.auth()...); status != 200 {
		t.Fatalf("residents' indicators: got %d", status)
	}
	if rv.Respondent != "resident" || rv.Weight != "none" {
		t.Errorf("residents' view: got %+v", rv.figureView)
	}
	for _, row := range rv.Rows {
		if row.Area.Own {
			continue
		}
		want, got := tallyOf(row.Area.Code, e.round.ID, true), row.Indicators[2]
		if got.Positive != want.x || got.Valid != want.n {
			t.Errorf("%s residents' satisfaction: got %d/%d, want %d/%d", row.Area.Code, got.Positive, got.Valid, want.x, want.n)
		}
	}
	var plain indicatorsReply
	e.getJSON("/api/v1/indicators?survey=chuangwen&area="+street1, &plain, e.auth()...)
	if plain.Weight != "none" || plain.Rows[0].Indicators[2].Weighted || *plain.Rows[0].Indicators[2].Rate != p2 {
		t.Errorf("unweighted: got %s %v, want none %v", plain.Weight, *plain.Rows[0].Indicators[2].Rate, p2)
	}
}
