//go:build linux

package faults

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// stored reads every response in the database at url: client_id → id, and fails
// the test unless each client_id is stored once.
func stored(t *testing.T, url string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var rows, clients int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT client_id) FROM responses`).Scan(&rows, &clients); err != nil {
		t.Fatal(err)
	}
	if rows != clients {
		t.Errorf("responses: got %d rows for %d client_ids, want one row each", rows, clients)
	}
	r, _ := conn.Query(ctx, `SELECT client_id::text, id::text FROM responses`)
	pairs, err := pgx.CollectRows(r, pgx.RowToStructByPos[struct{ Client, ID string }])
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		out[p.Client] = p.ID
	}
	return out
}

// verifyStored checks the database at url against what the bursts were told: every
// acknowledged client_id is stored, once, under the id it was acknowledged with, and
// nothing is stored that no worker sent. It returns how many responses are stored.
func verifyStored(t *testing.T, url string, bursts ...*burst) int {
	t.Helper()
	db := stored(t, url)
	begun, acked := map[string]bool{}, map[string]string{}
	for _, b := range bursts {
		b.mu.Lock()
		for c := range b.begun {
			begun[c] = true
		}
		for c, id := range b.acked {
			acked[c] = id
		}
		for _, p := range b.problems {
			t.Errorf("acknowledgements disagree: %s", p)
		}
		b.mu.Unlock()
	}
	var lost, wrong, strangers []string
	for c, id := range acked {
		switch got, ok := db[c]; {
		case !ok:
			lost = append(lost, c)
		case got != id:
			wrong = append(wrong, fmt.Sprintf("%s: got id %s, want %s", c, got, id))
		}
	}
	for c := range db {
		if !begun[c] {
			strangers = append(strangers, c)
		}
	}
	for _, f := range []struct {
		what string
		list []string
	}{
		{"acknowledged but not stored", lost},
		{"stored under another id than acknowledged", wrong},
		{"stored but never sent", strangers},
	} {
		if len(f.list) > 0 {
			t.Errorf("%d client_ids %s, e.g. %v", len(f.list), f.what, f.list[:min(5, len(f.list))])
		}
	}
	return len(db)
}
