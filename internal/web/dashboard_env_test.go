package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// batch is n responses for an area through a channel, every required single choice
// answered with its first option, changed as given (nil removes an answer).
type batch struct {
	code    string
	channel survey.Channel
	n       int
	changes map[string]any
}

// seedResponses stores batches straight through the store, as submitted at `at` in
// round (which must be open then).
func (e *testEnv) seedResponses(round store.Round, at time.Time, batches ...batch) {
	e.t.Helper()
	ctx := context.Background()
	var subs []store.Submission
	for _, b := range batches {
		a, err := e.store.Area(ctx, b.code)
		if err != nil {
			e.t.Fatal(err)
		}
		answers, err := e.def.Check(answersWith(e.def, b.changes))
		if err != nil {
			e.t.Fatalf("answers %v: %v", b.changes, err)
		}
		for range b.n {
			subs = append(subs, store.Submission{ClientID: uuid.New(), Round: round, AreaID: a.ID, Channel: b.channel,
				Answers: answers, Definition: e.def, ContentHash: survey.Hash(e.def.ID, b.code, b.channel, "", answers)})
		}
	}
	for _, out := range e.store.SubmitBatch(ctx, subs, at) {
		if out.Err != nil {
			e.t.Fatalf("seed responses: %v", out.Err)
		}
	}
}

// seedHouseholds stores n door-to-door responses for an area, each for another
// household, as entered at `at` in round.
func (e *testEnv) seedHouseholds(round store.Round, at time.Time, code string, n int) {
	e.t.Helper()
	ctx := context.Background()
	a, err := e.store.Area(ctx, code)
	if err != nil {
		e.t.Fatal(err)
	}
	answers, err := e.def.Check(answersWith(e.def, nil))
	if err != nil {
		e.t.Fatal(err)
	}
	var subs []store.Submission
	for i := range n {
		key := fmt.Sprintf("%d-%d", round.ID, i)
		subs = append(subs, store.Submission{ClientID: uuid.New(), Round: round, AreaID: a.ID, Channel: survey.ChannelVolunteer,
			Answers: answers, Definition: e.def, HouseholdHash: "hh-" + code + "-" + key, Household: key,
			ContentHash: survey.Hash(e.def.ID, code, survey.ChannelVolunteer, key, answers)})
	}
	for _, out := range e.store.SubmitBatch(ctx, subs, at) {
		if out.Err != nil {
			e.t.Fatalf("seed households: %v", out.Err)
		}
	}
}

// pastRound adds a closed round of the default survey's version.
func (e *testEnv) pastRound(name string, opened, closes time.Time) store.Round {
	e.t.Helper()
	ctx := context.Background()
	var id int64
	if err := e.pool.QueryRow(ctx, `INSERT INTO rounds (survey_id, version_id, name, opened_at, closes_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, e.def.ID, e.round.VersionID, name, opened, closes).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	r, err := e.store.Round(ctx, e.def.ID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// cst is a time in the service's zone (Asia/Shanghai).
func cst(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, testConfig().Location)
}

// dashGet GETs a dashboard API path with the given headers (the admin token when
// none) and decodes the 200 reply into out.
func dashGet(t *testing.T, e *testEnv, path string, out any, headers ...string) {
	t.Helper()
	if len(headers) == 0 {
		headers = e.auth()
	}
	res, raw := e.send("GET", path, nil, headers...)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: got %d %s, want 200", path, res.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, raw)
	}
}

// wantRate checks a figure against positive/valid: the rate, its Wilson interval
// and the small-sample flag (below 30 valid answers).
func wantRate(t *testing.T, where string, got rateFigure, positive, valid int) {
	t.Helper()
	if got.Positive != positive || got.Valid != valid {
		t.Errorf("%s: got %d/%d, want %d/%d", where, got.Positive, got.Valid, positive, valid)
		return
	}
	if got.SmallSample != (valid < 30) {
		t.Errorf("%s: small sample got %v, want %v", where, got.SmallSample, valid < 30)
	}
	low, high, ok := stats.Wilson(positive, valid)
	if !ok {
		if got.Rate != nil || got.CILow != nil || got.CIHigh != nil {
			t.Errorf("%s: got rate %v, want undefined", where, got.Rate)
		}
		return
	}
	if got.Rate == nil || got.CILow == nil || got.CIHigh == nil {
		t.Fatalf("%s: got an undefined rate, want %d/%d", where, positive, valid)
	}
	if !near(*got.Rate, float64(positive)/float64(valid)) || !near(*got.CILow, low) || !near(*got.CIHigh, high) {
		t.Errorf("%s: got %.4f (%.4f–%.4f), want %.4f (%.4f–%.4f)", where, *got.Rate, *got.CILow, *got.CIHigh,
			float64(positive)/float64(valid), low, high)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
