package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/account"
	"minyi/internal/household"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// volunteerSub is a door-to-door submission for a household, entered by user.
func (r *responses) volunteerSub(code, home string, user int64) store.Submission {
	s := r.sub(code, survey.ChannelVolunteer, r.answers(nil))
	s.Household, s.HouseholdHash, s.EnteredBy = home, "hash:"+code+":"+home, &user
	s.ContentHash = survey.Hash(r.def.ID, code, survey.ChannelVolunteer, home, s.Answers)
	return s
}

func TestHouseholdsAndVisits(t *testing.T) {
	r := newResponses(t, time.Now().Add(-time.Hour))
	ctx := context.Background()
	u, err := r.st.CreateUser(ctx, store.NewUser{Username: "vol1", Role: account.Volunteer, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()

	// A household's second completed response is refused; its visit is logged once.
	first := r.volunteerSub("c1", "1-1-101", u.ID)
	if _, _, err := r.submit(first, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.submit(r.volunteerSub("c1", "1-1-101", u.ID), now); !errors.Is(err, survey.ErrDuplicateHousehold) {
		t.Errorf("second response of 1-1-101: got %v, want ErrDuplicateHousehold", err)
	}
	if _, replayed, err := r.submit(first, now); err != nil || !replayed {
		t.Errorf("replay: got %v, %v; want a replay", replayed, err)
	}

	// SubmitAll stores nothing when one submission fails, replays included.
	batch := []store.Submission{r.volunteerSub("c1", "1-1-102", u.ID), first, r.volunteerSub("c1", "1-1-101", u.ID)}
	out, err := r.st.SubmitAll(ctx, batch, now)
	if err != nil || out[0].Err != nil || !out[1].Replayed || !errors.Is(out[2].Err, survey.ErrDuplicateHousehold) {
		t.Fatalf("SubmitAll: got %+v, %v", out, err)
	}
	if n := r.count("c1"); n != 1 {
		t.Errorf("respondents after a failed SubmitAll: got %d, want 1", n)
	}
	out, err = r.st.SubmitAll(ctx, batch[:2], now)
	if err != nil || out[0].Err != nil || out[0].Replayed || !out[1].Replayed {
		t.Fatalf("SubmitAll without the duplicate: got %+v, %v", out, err)
	}
	if n := r.count("c1"); n != 2 {
		t.Errorf("respondents: got %d, want 2", n)
	}

	// Visits without answers: replays, reused ids, closed rounds.
	v := store.Visit{ClientID: uuid.New(), ContentHash: "h1", Round: r.round, AreaID: r.areas["c1"].ID,
		Household: "1-1-103", UserID: u.ID, Outcome: household.NotHome}
	for i, want := range []bool{false, true} {
		if replayed, err := r.st.RecordVisit(ctx, v, now); err != nil || replayed != want {
			t.Errorf("visit %d: got %v, %v; want replayed %v", i, replayed, err, want)
		}
	}
	other := v
	other.ContentHash = "h2"
	if _, err := r.st.RecordVisit(ctx, other, now); !errors.Is(err, survey.ErrClientIDReused) {
		t.Errorf("reused visit id: got %v, want ErrClientIDReused", err)
	}
	revisit := v
	revisit.ClientID, revisit.Outcome, revisit.Household = uuid.New(), household.Revisit, "1-1-102"
	if _, err := r.st.RecordVisit(ctx, revisit, now); err != nil {
		t.Fatal(err)
	}
	late := v
	late.ClientID = uuid.New()
	if _, err := r.st.RecordVisit(ctx, late, now.Add(-2*time.Hour)); !errors.Is(err, survey.ErrNoOpenRound) {
		t.Errorf("visit before the round opened: got %v, want ErrNoOpenRound", err)
	}

	// Where each household stands: completed wins over a later visit.
	got, err := r.st.VisitOutcomes(ctx, r.round.ID, []int64{r.areas["c1"].ID})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]household.Outcome{"1-1-101": household.Completed, "1-1-102": household.Completed, "1-1-103": household.NotHome}
	if len(got[r.areas["c1"].ID]) != len(want) {
		t.Errorf("outcomes: got %v, want %v", got, want)
	}
	for k, o := range want {
		if got[r.areas["c1"].ID][k] != o {
			t.Errorf("outcome of %s: got %s, want %s", k, got[r.areas["c1"].ID][k], o)
		}
	}
}
