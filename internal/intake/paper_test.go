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
