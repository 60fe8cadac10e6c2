package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// TestSuggestions files free-text answers as they are counted, masks the phone
// numbers in them and the call-back number, lists a subtree newest first, searches
// literally, pages, and files the same again after a rebuild.
func TestSuggestions(t *testing.T) {
	t.Parallel()
	start := time.Now().Add(-time.Hour)
	r := newResponses(t, start)
	ctx := context.Background()
	for i, s := range []struct {
		code    string
		changes map[string]any
	}{
		{"c1", map[string]any{"q25": "路灯坏了，请联系13812345678"}},
		{"c1", map[string]any{"q25": "100%满意_好", "q26": "yes", "q27": "13987654321"}},
		{"c2", map[string]any{"q25": "<script>alert(1)</script>", "q26": "yes", "q27": "0571-88881234"}},
		{"c3", map[string]any{"q25": "东湖的停车位不够"}},
		{"c1", map[string]any{"q26": "yes", "q27": "13700000000"}}, // a number but nothing said
		{"c2", nil},
	} {
		if _, _, err := r.submit(r.sub(s.code, survey.ChannelQR, r.answers(s.changes)), start.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	list := func(code, search string, limit, offset int) []store.Suggestion {
		t.Helper()
		r.fold()
		got, err := r.st.Suggestions(ctx, store.SuggestionFilter{Path: r.areas[code].Path, Rounds: []int64{r.round.ID},
			Search: search, Limit: limit, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	bodies := func(list []store.Suggestion) []string {
		out := []string{}
		for _, s := range list {
			out = append(out, s.AreaCode+":"+s.Body+"|"+s.Phone)
		}
		return out
	}
	// Every way of reading: area by area; the round's texts through the bigram
	// index; the newest texts first, with a window of 2 so that a search must often
	// turn to the index.
	for _, how := range []struct {
		name            string
		lateral, window int
	}{{"by area", 200, 5000}, {"by round", 0, 5000}, {"newest first", 0, 2}} {
		r.st.SetSuggestionLimits(how.lateral, how.window)
		for _, tc := range []struct {
			name          string
			code, search  string
			limit, offset int
			want          []string
		}{
			{"district, newest first", "d1", "", 10, 0, []string{
				"c3:东湖的停车位不够|", "c2:<script>alert(1)</script>|0571-****1234",
				"c1:100%满意_好|139****4321", "c1:路灯坏了，请联系138****5678|"}},
			{"street", "s1", "", 10, 0, []string{
				"c2:<script>alert(1)</script>|0571-****1234", "c1:100%满意_好|139****4321", "c1:路灯坏了，请联系138****5678|"}},
			{"second page", "d1", "", 2, 2, []string{"c1:100%满意_好|139****4321", "c1:路灯坏了，请联系138****5678|"}},
			{"past the end", "d1", "", 2, 4, []string{}},
			{"search", "d1", "停车", 10, 0, []string{"c3:东湖的停车位不够|"}},
			{"search, a page of one", "d1", "c", 1, 0, []string{"c2:<script>alert(1)</script>|0571-****1234"}},
			{"search ignores case", "d1", "SCRIPT", 10, 0, []string{"c2:<script>alert(1)</script>|0571-****1234"}},
			{"percent is literal", "d1", "%", 10, 0, []string{"c1:100%满意_好|139****4321"}},
			{"underscore is literal", "d1", "意_", 10, 0, []string{"c1:100%满意_好|139****4321"}},
			{"underscore matches no other character", "d1", "路_", 10, 0, []string{}},
			{"masked digits are not searchable", "d1", "1381234", 10, 0, []string{}},
			{"community", "c3", "", 10, 0, []string{"c3:东湖的停车位不够|"}},
		} {
			t.Run(how.name+"/"+tc.name, func(t *testing.T) {
				if got := bodies(list(tc.code, tc.search, tc.limit, tc.offset)); !slices.Equal(got, tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			})
		}
	}
	r.st.SetSuggestionLimits(200, 5000)
	before := list("d1", "", 10, 0)
	if before[0].Question != "q25" || before[0].Channel != "qr" || before[0].AreaName != "东湖社区" {
		t.Errorf("newest: got %+v, want q25 from 东湖社区 by qr", before[0])
	}
	if err := r.st.RebuildCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if after := list("d1", "", 10, 0); !slices.EqualFunc(after, before, func(a, b store.Suggestion) bool {
		return a.Body == b.Body && a.Phone == b.Phone && a.SubmittedAt.Equal(b.SubmittedAt)
	}) {
		t.Errorf("after rebuild: got %v, want %v", bodies(after), bodies(before))
	}
	r.fold()
	other, err := r.st.Suggestions(ctx, store.SuggestionFilter{Path: r.areas["d1"].Path, Rounds: []int64{r.round.ID + 1}, Limit: 10})
	if err != nil || len(other) != 0 {
		t.Errorf("another round: got %v (%v), want none", bodies(other), err)
	}
}

// TestLineage lists an area's ancestors from the top down.
func TestLineage(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	if _, _, err := importCSV(t, st, tree); err != nil {
		t.Fatal(err)
	}
	c1, err := st.Area(context.Background(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Lineage(context.Background(), c1)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range got {
		codes = append(codes, a.Code)
	}
	if want := []string{"d1", "s1", "c1"}; !slices.Equal(codes, want) {
		t.Errorf("got %v, want %v", codes, want)
	}
}

// TestSuggestionsWithoutPieces finds texts filed without search pieces (before
// migration 012, or by an older binary) by their words, and FillPieces gives them
// their pieces; a fold does not (reads wait for folds).
func TestSuggestionsWithoutPieces(t *testing.T) {
	t.Parallel()
	start := time.Now().Add(-time.Hour)
	r := newResponses(t, start)
	ctx := context.Background()
	for i, text := range []string{"东湖的停车位不够", "路灯坏了", "停车难，路灯暗"} {
		if _, _, err := r.submit(r.sub("c1", survey.ChannelQR, r.answers(map[string]any{"q25": text})), start.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	r.fold()
	unpieced := func() int {
		t.Helper()
		var n int
		if err := r.db.QueryRow(ctx, `SELECT count(*) FROM suggestions WHERE pieces IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := unpieced(); n != 0 {
		t.Fatalf("texts filed without pieces: got %d, want 0", n)
	}
	r.st.SetSuggestionLimits(0, 5000) // through the index, not area by area
	search := func(word string) []string {
		t.Helper()
		got, err := r.st.Suggestions(ctx, store.SuggestionFilter{Path: r.areas["d1"].Path, Rounds: []int64{r.round.ID},
			Search: word, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, s := range got {
			out = append(out, s.Body)
		}
		return out
	}
	want := []string{"停车难，路灯暗", "东湖的停车位不够"}
	if got := search("停车"); !slices.Equal(got, want) {
		t.Errorf("with pieces: got %q, want %q", got, want)
	}
	if _, err := r.db.Exec(ctx, `UPDATE suggestions SET pieces = NULL WHERE body LIKE '%停车%'`); err != nil {
		t.Fatal(err)
	}
	if got := search("停车"); !slices.Equal(got, want) {
		t.Errorf("without pieces: got %q, want %q", got, want)
	}
	if got := search("路灯"); !slices.Equal(got, []string{"停车难，路灯暗", "路灯坏了"}) {
		t.Errorf("some without pieces: got %q, want both texts with 路灯", got)
	}
	r.fold()
	if n := unpieced(); n != 2 {
		t.Errorf("after a fold, texts without pieces: got %d, want 2", n)
	}
	if n, err := r.st.FillPieces(ctx); err != nil || n != 2 {
		t.Errorf("FillPieces: got %d (%v), want the 2 texts without pieces", n, err)
	}
	if n := unpieced(); n != 0 {
		t.Errorf("after FillPieces, texts without pieces: got %d, want 0", n)
	}
	if got := search("停车"); !slices.Equal(got, want) {
		t.Errorf("pieces filled: got %q, want %q", got, want)
	}
	if got := search("停车场"); len(got) != 0 {
		t.Errorf("a word no text holds: got %q, want none", got)
	}
}

// TestDoorSuggestionsUntimed: door-to-door suggestions are filed at their round's
// opening, so that they list after residents' own texts whatever their visit times,
// and one filed by an older binary with its time is filed so by FillPieces.
func TestDoorSuggestionsUntimed(t *testing.T) {
	t.Parallel()
	start := time.Now().Add(-time.Hour).Truncate(time.Second)
	r := newResponses(t, start)
	ctx := context.Background()
	for i, s := range []struct {
		channel survey.Channel
		text    string
	}{
		{survey.ChannelQR, "早的扫码意见"},
		{survey.ChannelVolunteer, "入户意见甲"},
		{survey.ChannelQR, "中间的扫码意见"},
		{survey.ChannelPaper, "纸质意见乙"},
		{survey.ChannelQR, "晚的扫码意见"},
	} {
		if _, _, err := r.submit(r.sub("c1", s.channel, r.answers(map[string]any{"q25": s.text})), start.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	r.fold()
	list := func() []store.Suggestion {
		t.Helper()
		got, err := r.st.Suggestions(ctx, store.SuggestionFilter{Path: r.areas["c1"].Path, Rounds: []int64{r.round.ID}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := list()
	var order []string
	for _, s := range got {
		order = append(order, s.Body)
		if s.Channel != string(survey.ChannelQR) && !s.SubmittedAt.Equal(r.round.OpenedAt) {
			t.Errorf("%s (%s) filed at %v, want the round's opening %v", s.Body, s.Channel, s.SubmittedAt, r.round.OpenedAt)
		}
	}
	if len(order) != 5 || !slices.Equal(order[:3], []string{"晚的扫码意见", "中间的扫码意见", "早的扫码意见"}) ||
		!slices.Contains(order[3:], "入户意见甲") || !slices.Contains(order[3:], "纸质意见乙") {
		t.Errorf("order: got %q, want the residents' own newest first, then the two door-to-door", order)
	}
	// As an older binary files one: its visit time, no pieces.
	if _, err := r.db.Exec(ctx, `UPDATE suggestions SET submitted_at = $1, pieces = NULL WHERE body = '入户意见甲'`,
		start.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.FillPieces(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range list() {
		if s.Body == "入户意见甲" && !s.SubmittedAt.Equal(r.round.OpenedAt) {
			t.Errorf("after FillPieces: filed at %v, want the round's opening %v", s.SubmittedAt, r.round.OpenedAt)
		}
	}
}
