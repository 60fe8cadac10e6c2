package store_test

import (
	"context"
	"errors"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/testenv"
)

// responses submits responses to one store, in one round at a time.
type responses struct {
	t     testing.TB
	st    *store.Store
	def   *survey.Definition
	round store.Round
	areas map[string]area.Area
	db    *pgxpool.Pool
}

// newResponses loads the test tree and the default survey into a new store, with a
// round opened at opened.
func newResponses(t testing.TB, opened time.Time) *responses {
	t.Helper()
	ctx := context.Background()
	db := testenv.DB(t)
	st := store.New(db, 10*time.Second, shanghai)
	round, def := seed(t, st, opened)
	r := &responses{t: t, st: st, def: def, round: round, areas: map[string]area.Area{}, db: db}
	all, err := st.Subtree(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		r.areas[a.Code] = a
	}
	return r
}

// answers is a valid, normalized answer set: every required single-choice question
// with its first option, changed as given.
func (r *responses) answers(changes map[string]any) survey.Answers {
	r.t.Helper()
	raw := map[string]any{}
	for _, q := range r.def.Questions {
		if q.Required && q.Type == survey.Single {
			raw[q.ID] = q.Options[0].ID
		}
	}
	maps.Copy(raw, changes)
	a, err := r.def.Check(raw)
	if err != nil {
		r.t.Fatalf("answers %v: %v", changes, err)
	}
	return a
}

// sub builds a submission as the web layer does.
func (r *responses) sub(code string, channel survey.Channel, a survey.Answers) store.Submission {
	return store.Submission{
		ClientID:    uuid.New(),
		Round:       r.round,
		AreaID:      r.areas[code].ID,
		Channel:     channel,
		Answers:     a,
		Definition:  r.def,
		ContentHash: survey.Hash(r.def.ID, code, channel, "", a),
	}
}

func (r *responses) submit(s store.Submission, now time.Time) (uuid.UUID, bool, error) {
	return r.st.Submit(context.Background(), s, now)
}

// fold counts every response stored so far, as a read that waits for counting does.
func (r *responses) fold() {
	r.t.Helper()
	if _, err := r.st.Fold(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

// counts returns the counts of an area's subtree, or of each of its children's, with
// every response stored so far counted.
func (r *responses) counts(code string, byChildren bool, f store.CountFilter) (map[int64]store.Counts, error) {
	r.fold()
	areas := []area.Area{r.areas[code]}
	if byChildren {
		var err error
		if areas, err = r.st.Children(context.Background(), r.areas[code].ID); err != nil {
			return nil, err
		}
	}
	return r.st.Counts(context.Background(), areas, f)
}

// count returns the respondents of an area's subtree in every round.
func (r *responses) count(code string) int {
	r.t.Helper()
	c, err := r.counts(code, false, store.CountFilter{SurveyID: r.def.ID})
	if err != nil {
		r.t.Fatal(err)
	}
	return c[r.areas[code].ID].Respondents()
}

func TestSubmitReplayAndConflicts(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Minute))
	now := time.Now()
	first := r.sub("c1", survey.ChannelQR, r.answers(nil))
	first.DeviceHash = "device-1"
	id, replayed, err := r.submit(first, now)
	if err != nil || replayed || id == uuid.Nil {
		t.Fatalf("first: got %v, %v, %v; want a new id", id, replayed, err)
	}
	other := r.answers(map[string]any{"q4": "dont_know"})
	for _, tc := range []struct {
		name     string
		sub      func() store.Submission
		err      error
		replayed bool
	}{
		{"same client_id and content: a replay", func() store.Submission { return first }, nil, true},
		{"same client_id and content, no device", func() store.Submission { s := first; s.DeviceHash = ""; return s }, nil, true},
		{"same client_id and content, other device", func() store.Submission { s := first; s.DeviceHash = "device-2"; return s }, nil, true},
		{"same client_id, other content", func() store.Submission {
			s := first
			s.Answers, s.ContentHash = other, survey.Hash(r.def.ID, "c1", survey.ChannelQR, "", other)
			return s
		}, survey.ErrClientIDReused, false},
		{"same client_id, other device and content", func() store.Submission {
			s := first
			s.DeviceHash, s.ContentHash = "device-3", "other"
			return s
		}, survey.ErrClientIDReused, false},
		{"same device, other client_id", func() store.Submission {
			s := r.sub("c2", survey.ChannelQR, r.answers(nil))
			s.DeviceHash = "device-1"
			return s
		}, survey.ErrDuplicateDevice, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gotID, gotReplayed, err := r.submit(tc.sub(), now)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error: got %v, want %v", err, tc.err)
			}
			if tc.err == nil && (gotID != id || gotReplayed != tc.replayed) {
				t.Errorf("got %v replayed=%v, want %v replayed=%v", gotID, gotReplayed, id, tc.replayed)
			}
			if tc.err != nil && gotID != uuid.Nil {
				t.Errorf("id with an error: got %v, want none", gotID)
			}
		})
	}
	if got := r.count("d1"); got != 1 {
		t.Errorf("respondents: got %d, want 1", got)
	}

	t.Run("no device: no one-per-device rule", func(t *testing.T) {
		for i := range 2 {
			if _, replayed, err := r.submit(r.sub("c1", survey.ChannelVolunteer, r.answers(nil)), now); err != nil || replayed {
				t.Fatalf("submission %d: got replayed=%v, %v; want stored", i, replayed, err)
			}
		}
	})
	t.Run("same device in the next round", func(t *testing.T) {
		ctx := context.Background()
		if _, err := r.st.CloseRound(ctx, r.def.ID, now); err != nil {
			t.Fatal(err)
		}
		next, err := r.st.StartRound(ctx, r.def.ID, "第2轮", nil, now)
		if err != nil {
			t.Fatal(err)
		}
		s := r.sub("c1", survey.ChannelQR, r.answers(nil))
		s.Round, s.DeviceHash = next, "device-1"
		if _, replayed, err := r.submit(s, now); err != nil || replayed {
			t.Fatalf("got replayed=%v, %v; want stored", replayed, err)
		}
		// The closed round takes nothing more.
		late := r.sub("c1", survey.ChannelQR, r.answers(nil))
		if _, _, err := r.submit(late, now.Add(time.Second)); !errors.Is(err, survey.ErrNoOpenRound) {
			t.Errorf("submission to the closed round: got %v, want ErrNoOpenRound", err)
		}
	})
	if got := r.count("d1"); got != 4 {
		t.Errorf("respondents at the end: got %d, want 4", got)
	}
}

// TestSubmitConcurrent: one client_id sent many times at once is stored once, and every
// sender learns the same id.
func TestSubmitConcurrent(t *testing.T) {
	t.Parallel()
	r := newResponses(t, time.Now().Add(-time.Minute))
	same := r.sub("c1", survey.ChannelQR, r.answers(nil))
	type result struct {
		id       uuid.UUID
		replayed bool
		err      error
	}
	for _, tc := range []struct {
		name     string
		sub      func(i int) store.Submission
		n        int
		wantNew  int
		wantRows int
	}{
		{"one client_id", func(int) store.Submission { return same }, 20, 1, 1},
		{"distinct client_ids", func(i int) store.Submission {
			return r.sub([]string{"c1", "c2", "c3"}[i%3], survey.ChannelVolunteer, r.answers(nil))
		}, 30, 30, 31},
	} {
		t.Run(tc.name, func(t *testing.T) {
			results := make([]result, tc.n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range tc.n {
				sub := tc.sub(i)
				wg.Go(func() {
					<-start
					id, replayed, err := r.st.Submit(context.Background(), sub, time.Now())
					results[i] = result{id, replayed, err}
				})
			}
			close(start)
			wg.Wait()
			created, ids := 0, map[uuid.UUID]bool{}
			for i, res := range results {
				if res.err != nil {
					t.Fatalf("submission %d: %v", i, res.err)
				}
				if !res.replayed {
					created++
				}
				ids[res.id] = true
			}
			if created != tc.wantNew || len(ids) != tc.wantNew {
				t.Errorf("got %d new and %d distinct ids, want %d of each", created, len(ids), tc.wantNew)
			}
			if got := r.count("d1"); got != tc.wantRows {
				t.Errorf("respondents: got %d, want %d", got, tc.wantRows)
			}
		})
	}
}

// TestCounts pools answers over the subtree of each area asked for, and filters them
// by round, channel and calendar day in the store's time zone.
func TestCounts(t *testing.T) {
	t.Parallel()
	day := func(d, hour int) time.Time { return time.Date(2026, 3, d, hour, 0, 0, 0, shanghai) }
	r := newResponses(t, day(1, 0)) // responses are stored in the round open at their time
	ctx := context.Background()
	know, dontKnow := r.answers(map[string]any{"q4": "know"}), r.answers(map[string]any{"q4": "dont_know"})
	for _, s := range []struct {
		code    string
		channel survey.Channel
		a       survey.Answers
		at      time.Time
	}{
		{"c1", survey.ChannelQR, know, day(1, 10)},
		// 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai.
		{"c1", survey.ChannelVolunteer, dontKnow, time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC)},
		{"c2", survey.ChannelPaper, know, day(2, 9)},
		{"c3", survey.ChannelQR, know, day(3, 10)},
		{"s1", survey.ChannelVolunteer, dontKnow, day(1, 8)}, // on the street itself
	} {
		if _, _, err := r.submit(r.sub(s.code, s.channel, s.a), s.at); err != nil {
			t.Fatal(err)
		}
	}
	first := r.round
	if _, err := r.st.CloseRound(ctx, r.def.ID, day(3, 11)); err != nil {
		t.Fatal(err)
	}
	second, err := r.st.StartRound(ctx, r.def.ID, "第2轮", nil, day(3, 11))
	if err != nil {
		t.Fatal(err)
	}
	s := r.sub("c2", survey.ChannelQR, r.answers(map[string]any{"q24": []any{"parking"}, "q25": "多装路灯"}))
	s.Round = second
	if _, _, err := r.submit(s, day(3, 12)); err != nil {
		t.Fatal(err)
	}

	date := func(d int) *time.Time { t := day(d, 0); return &t }
	type n struct{ respondents, know, dontKnow int }
	for _, tc := range []struct {
		name       string
		root       string
		byChildren bool
		f          store.CountFilter
		want       map[string]n // by area code
	}{
		{"district", "d1", false, store.CountFilter{}, map[string]n{"d1": {6, 4, 2}}},
		{"district by streets", "d1", true, store.CountFilter{}, map[string]n{"s1": {5, 3, 2}, "s2": {1, 1, 0}}},
		{"street: its own response too", "s1", false, store.CountFilter{}, map[string]n{"s1": {5, 3, 2}}},
		{"street by communities: its own response in none", "s1", true, store.CountFilter{},
			map[string]n{"c1": {2, 1, 1}, "c2": {2, 2, 0}}},
		{"community", "c1", false, store.CountFilter{}, map[string]n{"c1": {2, 1, 1}}},
		{"community by children: none", "c1", true, store.CountFilter{}, map[string]n{}},
		{"street by children: its untouched village absent", "s2", true, store.CountFilter{}, map[string]n{"c3": {1, 1, 0}}},
		{"first round", "d1", false, store.CountFilter{RoundID: first.ID}, map[string]n{"d1": {5, 3, 2}}},
		{"second round", "d1", false, store.CountFilter{RoundID: second.ID}, map[string]n{"d1": {1, 1, 0}}},
		{"qr", "d1", false, store.CountFilter{Channel: "qr"}, map[string]n{"d1": {3, 3, 0}}},
		{"volunteer by streets", "d1", true, store.CountFilter{Channel: "volunteer"}, map[string]n{"s1": {2, 0, 2}}},
		{"paper", "d1", false, store.CountFilter{Channel: "paper"}, map[string]n{"d1": {1, 1, 0}}},
		{"from 2 March", "d1", false, store.CountFilter{From: date(2)}, map[string]n{"d1": {4, 3, 1}}},
		{"to 1 March", "d1", false, store.CountFilter{To: date(1)}, map[string]n{"d1": {2, 1, 1}}},
		{"2 March, a Shanghai day", "d1", false, store.CountFilter{From: date(2), To: date(2)}, map[string]n{"d1": {2, 1, 1}}},
		{"2 March in the first round, qr", "d1", false, store.CountFilter{From: date(2), To: date(3), RoundID: first.ID, Channel: "qr"},
			map[string]n{"d1": {1, 1, 0}}},
		{"1 to 3 March: all, as without dates", "d1", true, store.CountFilter{From: date(1), To: date(3)},
			map[string]n{"s1": {5, 3, 2}, "s2": {1, 1, 0}}},
		{"before any response", "d1", false, store.CountFilter{To: date(0)}, map[string]n{}},
		{"another survey", "d1", false, store.CountFilter{SurveyID: "other"}, map[string]n{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.f.SurveyID == "" {
				tc.f.SurveyID = r.def.ID
			}
			got, err := r.counts(tc.root, tc.byChildren, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			gotN := map[string]n{}
			for code, a := range r.areas {
				if c, ok := got[a.ID]; ok {
					gotN[code] = n{c.Respondents(), c["q4"]["know"], c["q4"]["dont_know"]}
					delete(got, a.ID)
				}
			}
			if len(got) > 0 {
				t.Errorf("counts for unknown area ids: %v", got)
			}
			if !maps.Equal(gotN, tc.want) {
				t.Errorf("got %v, want %v", gotN, tc.want)
			}
		})
	}

	// Every single- and multiple-choice answer is tallied; text is not.
	got, err := r.counts("c2", false, store.CountFilter{SurveyID: r.def.ID, RoundID: second.ID})
	if err != nil {
		t.Fatal(err)
	}
	c := got[r.areas["c2"].ID]
	for _, q := range r.def.Questions {
		_, tallied := c[q.ID]
		_, answered := s.Answers[q.ID]
		if want := answered && q.Type != survey.Text; tallied != want {
			t.Errorf("%s (%s): tallied %v, want %v", q.ID, q.Type, tallied, want)
		}
	}
	if got := c["q12"]["very_satisfied"]; got != 1 {
		t.Errorf("q12 very_satisfied: got %d, want 1", got)
	}
	if got := c["q24"]["parking"]; got != 1 {
		t.Errorf("q24 parking: got %d, want 1", got)
	}
}
