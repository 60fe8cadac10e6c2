package intake

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"minyi/internal/account"
	"minyi/internal/csvfile"
	"minyi/internal/household"
	"minyi/internal/survey"
)

// TestTakePaperAnsweredMeanwhile: a household answered after TakePaper looked it up
// and before it stores the file is still a line of the import error, and nothing of
// the file is stored. The answer "meanwhile" is a transaction the test holds open
// across the lookup, committed once the import waits for it.
func TestTakePaperAnsweredMeanwhile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	admin := e.entrant("admin", account.Admin, "", "")
	first, err := e.in.Take(ctx, Entry{Survey: e.def.ID, Area: community1, ClientID: uuid.NewString(),
		Answers: e.answers(), Household: "8-8-801", Who: admin})
	if err != nil {
		t.Fatal(err)
	}
	round, def, err := storeCatalog{e.st, e.now}.Fielded(ctx, e.def.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := PaperFile{Name: "f.csv", Sum: sha256.Sum256([]byte("f")), Round: round, Def: def, Rows: []PaperRow{
		{Line: 2, Area: community2, Household: "1-1-101", Answers: e.answers()},
		{Line: 3, Area: community1, Household: "8-8-802", Answers: e.answers()},
	}}
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `UPDATE responses SET household_hash = $2 WHERE id = $1`,
		first.ID, e.in.householdHash(community1, "8-8-802")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		rep PaperReport
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := e.in.TakePaper(ctx, admin, f)
		done <- result{rep, err}
	}()
	// The import passes its lookup (the answer is not committed) and waits on the
	// household's unique key.
	for waiting := false; !waiting; {
		select {
		case r := <-done:
			t.Fatalf("import finished before the answer was committed: %+v, %v", r.rep, r.err)
		case <-time.After(10 * time.Millisecond):
		}
		if err := e.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%Store.SubmitBatch%')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	var ie *csvfile.ImportError
	if !errors.As(r.err, &ie) {
		t.Fatalf("got %+v, %v; want an import error", r.rep, r.err)
	}
	if got, want := strings.Join(ie.Report(), "\n"), "f.csv:3: "+msgAnswered; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE channel = 'paper'`); got != 0 {
		t.Errorf("paper responses stored: got %d, want 0", got)
	}
}

// TestTakePaperReasons: every reason of every row in one import error, by line; those
// of the reading merged after TakePaper's own of the same line.
func TestTakePaperReasons(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	vol := e.entrant("vol", account.Volunteer, "", community1)
	round, def, err := storeCatalog{e.st, e.now}.Fielded(ctx, e.def.ID)
	if err != nil {
		t.Fatal(err)
	}
	unanswered := e.answers()
	delete(unanswered, "q1")
	long := strings.Repeat("1", 65)
	unknown := e.answers()
	unknown["q99"] = "x"
	read := &csvfile.ImportError{}
	read.Add("f.csv", 4, "q4：选项 \"也许\" 无效")
	read.Add("f.csv", 7, "应有 3 列，实际 2 列")
	f := PaperFile{Name: "f.csv", Sum: sha256.Sum256([]byte("f")), Round: round, Def: def, ReadErrors: read, Rows: []PaperRow{
		{Line: 2, Area: community1, Household: "1-1-101", Answers: e.answers()},
		{Line: 3, Area: "000000000000", Household: "1-1-101", Answers: unanswered},
		{Line: 4, Area: community1, Household: "1栋1单元101", BadAnswers: true},
		{Line: 5, Area: community3, Household: long, Answers: e.answers()},
		{Line: 6, Area: community1, Answers: unknown},
	}}
	_, err = e.in.TakePaper(ctx, vol, f)
	var ie *csvfile.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an import error", err)
	}
	want := []string{
		"f.csv:3: 区域代码 000000000000 不存在",
		"f.csv:3: q1：" + survey.MsgChooseOne,
		"f.csv:4: 住户 1-1-101 与第 2 行重复",
		"f.csv:4: q4：选项 \"也许\" 无效",
		"f.csv:5: 您无权为区域 " + community3 + " 录入问卷（不在管辖范围内或未被分派）",
		"f.csv:5: 住户 \"" + long + "\" 无效：" + household.ErrKey.Error(),
		"f.csv:6: q99：" + survey.MsgUnknown,
		"f.csv:7: 应有 3 列，实际 2 列",
	}
	if got := strings.Join(ie.Report(), "\n"); got != strings.Join(want, "\n") || ie.Total != len(want) {
		t.Errorf("got (%d)\n%s\nwant (%d)\n%s", ie.Total, got, len(want), strings.Join(want, "\n"))
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 0 {
		t.Errorf("responses stored: got %d, want 0", got)
	}
}
