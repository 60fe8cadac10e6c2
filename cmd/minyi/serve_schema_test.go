package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"minyi/internal/store"
)

// TestServeRefusesSchema checks that serve stops before listening, naming both
// versions, on a schema older than the binary's or newer by a contract step, and that
// MINYI_MIGRATE_ON_START=1 brings an older one up to date instead.
func TestServeRefusesSchema(t *testing.T) {
	bin := store.BinarySchema()
	tests := []struct {
		name    string
		version int32
		migrate string
		want    string // in the error
	}{
		{"older", bin - 1, "0", "older than this binary needs"},
		{"newer, contract step", bin + 1, "0", "newer than this binary understands"},
		{"newer, contract step, migrate on start", bin + 1, "1", "newer than this binary understands"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			commandEnv(t)
			t.Setenv("MINYI_ADDR", "127.0.0.1:0")
			t.Setenv("MINYI_MIGRATE_ON_START", tc.migrate)
			setVersion(t, tc.version, tc.version) // a contract step at tc.version
			err := run([]string{"serve"}, strings.NewReader(""), &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("serve: got %v, want an error with %q", err, tc.want)
			}
			for _, v := range []int32{tc.version, bin} {
				if !strings.Contains(err.Error(), fmt.Sprintf("version %d", v)) && !strings.Contains(err.Error(), fmt.Sprintf("binary's %d", v)) {
					t.Errorf("error %q does not name version %d", err, v)
				}
			}
		})
	}
}

// setVersion records version as the schema version of the test database, on which
// binaries from minBinary run.
func setVersion(t *testing.T, version, minBinary int32) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE schema_version SET version = $1`, version); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`COMMENT ON TABLE schema_version IS 'minyi min_binary=%d'`, minBinary)); err != nil {
		t.Fatal(err)
	}
}
