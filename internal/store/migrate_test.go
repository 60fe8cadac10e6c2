package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"minyi/internal/store"
	"minyi/internal/testenv"
)

// TestCheckSchema moves a migrated database's recorded schema version and the
// migrator's note on it, and checks which binaries may serve it: the same version, a
// newer one made by expand-only migrations, but never an older one or a newer one
// changed by a contract step.
func TestCheckSchema(t *testing.T) {
	bin := store.BinarySchema()
	if bin < 9 {
		t.Fatalf("store.BinarySchema() = %d, want at least 9", bin)
	}
	tests := []struct {
		name    string
		version int32
		note    string // "" leaves the note Migrate wrote; "-" removes it
		wantErr error
		newer   bool
	}{
		{"equal", bin, "", nil, false},
		{"newer, expand-only", bin + 2, fmt.Sprintf("minyi min_binary=%d", bin), nil, true},
		{"newer, contract step", bin + 2, fmt.Sprintf("minyi min_binary=%d", bin+1), store.ErrSchemaIncompatible, true},
		{"newer, no note", bin + 1, "-", store.ErrSchemaIncompatible, true},
		{"older", bin - 1, "", store.ErrSchemaOlder, false},
		{"never migrated", 0, "", store.ErrSchemaOlder, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			pool := testenv.DB(t)
			exec := func(sql string) {
				t.Helper()
				if _, err := pool.Exec(ctx, sql); err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
			}
			exec(fmt.Sprintf(`UPDATE schema_version SET version = %d`, tc.version))
			switch tc.note {
			case "":
			case "-":
				exec(`COMMENT ON TABLE schema_version IS NULL`)
			default:
				exec(fmt.Sprintf(`COMMENT ON TABLE schema_version IS '%s'`, tc.note))
			}
			if tc.version == 0 {
				exec(`DROP TABLE schema_version`)
			}
			st, err := store.CheckSchema(ctx, pool)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CheckSchema: got %v, want %v", err, tc.wantErr)
			}
			if st.Database != tc.version || st.Binary != bin || st.Newer() != tc.newer {
				t.Errorf("got %+v (newer %v), want database %d, binary %d, newer %v", st, st.Newer(), tc.version, bin, tc.newer)
			}
			if err != nil {
				for _, v := range []int32{tc.version, bin} {
					if !strings.Contains(err.Error(), fmt.Sprint(v)) {
						t.Errorf("error %q does not name version %d", err, v)
					}
				}
			}
			// migrate leaves a newer schema alone, compatible or not, and refuses the
			// incompatible one just as serve does.
			if tc.newer {
				err := store.Migrate(ctx, pool)
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("Migrate: got %v, want %v", err, tc.wantErr)
				}
				var v int32
				if err := pool.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil || v != tc.version {
					t.Errorf("after Migrate: version %d (%v), want %d", v, err, tc.version)
				}
			}
		})
	}
}

// TestMigrateNote checks that Migrate records which binaries run on the schema it made.
func TestMigrateNote(t *testing.T) {
	ctx := context.Background()
	pool := testenv.DB(t)
	if _, err := pool.Exec(ctx, `COMMENT ON TABLE schema_version IS NULL`); err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	st, err := store.CheckSchema(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if want := store.MinBinary(store.BinarySchema()); st.MinBinary != want || want > store.BinarySchema() {
		t.Errorf("MinBinary = %d, want %d", st.MinBinary, want)
	}
}

// TestMigrateGivesWay holds the migrators' advisory lock in another session: a
// migration waits no longer than its lock_timeout, tries again, gives up with
// lock_not_available, and leaves its pooled connection with the default timeouts;
// once the lock is free it goes through.
func TestMigrateGivesWay(t *testing.T) {
	ctx := context.Background()
	pool := testenv.DB(t)
	holder, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const ternLock = 9628173550095224 // tern's advisory lock number (migrate.lockNum)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(ternLock)); err != nil {
		t.Fatal(err)
	}
	const lock, pause, attempts = 100 * time.Millisecond, 50 * time.Millisecond, 3
	start := time.Now()
	err = store.MigrateWithin(ctx, pool, lock, pause, attempts)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "55P03" {
		t.Fatalf("migrate while the lock is held: got %v, want lock_not_available (55P03)", err)
	}
	if took := time.Since(start); took < attempts*lock+(attempts-1)*pause {
		t.Errorf("gave up after %v, before %d attempts of %v", took, attempts, lock)
	}
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock($1)`, int64(ternLock)); err != nil {
		t.Fatal(err)
	}
	holder.Release()
	// Every connection the pool has open at once: the migrator's is among them.
	n := int(pool.Stat().TotalConns())
	for range n {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
		var lock, stmt string
		if err := c.QueryRow(ctx, `SELECT current_setting('lock_timeout'), current_setting('statement_timeout')`).Scan(&lock, &stmt); err != nil {
			t.Fatal(err)
		}
		if lock != "0" || stmt != "0" {
			t.Errorf("a pooled connection kept lock_timeout %s, statement_timeout %s; want 0, 0", lock, stmt)
		}
	}
	if err := store.MigrateWithin(ctx, pool, lock, pause, attempts); err != nil {
		t.Errorf("migrate once the lock is free: %v", err)
	}
}
