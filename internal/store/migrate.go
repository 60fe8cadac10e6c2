package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"minyi/migrations"
)

// migrateLimits bound a migration session. It gives way instead of queueing: a
// statement that waits longer than lock for a lock (on a table that long transactions
// hold, or on the migrators' advisory lock) fails, so that the queries queued behind
// it run on, and Migrate tries again after pause, attempts times in all. No statement
// of a migration may run longer than statement.
type migrateLimits struct {
	lock, statement, pause time.Duration
	attempts               int
}

// defaultMigrateLimits are Migrate's.
var defaultMigrateLimits = migrateLimits{lock: 5 * time.Second, statement: 15 * time.Minute, pause: 5 * time.Second, attempts: 12}

// expandOnly lists the migrations that only add (a table, a nullable column or one
// with a constant default, an index built concurrently, a function) and change
// nothing that a binary built before them reads or writes: such a binary runs on the
// schema they make, so a rollout can be undone without undoing them. A migration
// that drops, renames, retypes or re-queues is not listed (a contract step); it must
// ship one release after the code that stops using what it removes. Migrations 1–9
// predate the rule and count as contract steps.
var expandOnly = map[int32]bool{
	10: true, // problems: new tables only
	// Counter vectors: new tables and views beside the old counters. A binary before
	// it counts into the old counters only; after running one, run minyi recount.
	11: true,
	// Search pieces: a nullable column and indexes; the index dropped is one no binary
	// names, and an older binary's search works without it.
	12: true,
	// Door-to-door suggestions filed at their round's opening: a change of values an
	// older binary reads as it reads any others.
	13: true,
}

// Errors of CheckSchema.
var (
	// ErrSchemaOlder: the database lacks migrations this binary needs.
	ErrSchemaOlder = errors.New("database schema is older than this binary needs")
	// ErrSchemaIncompatible: the database has migrations that change what this binary reads.
	ErrSchemaIncompatible = errors.New("database schema is newer than this binary understands")
)

// SchemaState is what CheckSchema found.
type SchemaState struct {
	Database int32 // the database's schema version
	Binary   int32 // the version this binary's migrations bring a database to
	// MinBinary is the oldest binary schema version that runs on the database: the
	// latest migration applied that is not expand-only, as the migrator that applied
	// it recorded.
	MinBinary int32
}

// Newer reports whether the database is ahead of the binary (and compatible, when
// CheckSchema returned no error).
func (s SchemaState) Newer() bool { return s.Database > s.Binary }

func (s SchemaState) String() string {
	return fmt.Sprintf("database schema version %d, this binary's %d (binaries from %d run on it)", s.Database, s.Binary, s.MinBinary)
}

// BinarySchema is the schema version this binary's embedded migrations end at.
func BinarySchema() int32 {
	names, _ := fs.Glob(migrations.FS, "*.sql")
	return int32(len(names))
}

// minBinary is the oldest binary schema version that runs on schema v: the latest
// migration up to v that is not expand-only.
func minBinary(v int32) int32 {
	for ; v > 0 && expandOnly[v]; v-- {
	}
	return v
}

// compatNote is the comment on the schema_version table in which the migrator records
// MinBinary, so that a binary built before later migrations can tell whether it may
// run on them.
const compatNote = "minyi min_binary="

// CheckSchema compares the database's schema with this binary's: equal, or newer by
// expand-only migrations only, is fine; older returns ErrSchemaOlder and newer by a
// contract step ErrSchemaIncompatible. Either error names both versions.
func CheckSchema(ctx context.Context, pool *pgxpool.Pool) (st SchemaState, err error) {
	defer wrap(&err, "store.CheckSchema")
	st.Binary = BinarySchema()
	var note *string
	err = pool.QueryRow(ctx, `/* store.CheckSchema */
		SELECT version, obj_description('schema_version'::regclass, 'pg_class') FROM schema_version`).Scan(&st.Database, &note)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "42P01": // undefined_table: never migrated
		st.Database, err = 0, nil
	case errors.Is(err, pgx.ErrNoRows):
		st.Database, err = 0, nil
	case err != nil:
		return st, err
	}
	st.MinBinary = st.Database // a database without the note is trusted with nothing newer
	if note != nil {
		if s, ok := strings.CutPrefix(*note, compatNote); ok {
			if n, perr := strconv.Atoi(s); perr == nil && int32(n) <= st.Database {
				st.MinBinary = int32(n)
			}
		}
	}
	switch {
	case st.Database < st.Binary:
		return st, fmt.Errorf("%w: %s; run minyi migrate", ErrSchemaOlder, st)
	case st.Database > st.Binary && st.MinBinary > st.Binary:
		return st, fmt.Errorf("%w: %s", ErrSchemaIncompatible, st)
	}
	return st, nil
}

// Migrate brings the schema up to date under tern's PostgreSQL advisory lock, so
// that two migrators apply each migration once, and records which binaries run on the
// result (see CheckSchema). Its session sets lock_timeout (5 s) and statement_timeout
// (15 min); a migration that times out waiting for a lock is rolled back and tried
// again 5 s later, 12 times at most. A database already ahead of this binary is left
// alone if the binary runs on it, else Migrate returns ErrSchemaIncompatible.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (err error) {
	defer wrap(&err, "store.Migrate")
	return migrateWithin(ctx, pool, defaultMigrateLimits)
}

func migrateWithin(ctx context.Context, pool *pgxpool.Pool, lim migrateLimits) error {
	for attempt := 1; ; attempt++ {
		err := migrateOnce(ctx, pool, lim)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "55P03" || attempt >= lim.attempts { // lock_not_available
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(lim.pause):
		}
	}
}

func migrateOnce(ctx context.Context, pool *pgxpool.Pool, lim migrateLimits) error {
	st, err := CheckSchema(ctx, pool)
	switch {
	case errors.Is(err, ErrSchemaOlder): // what this binary is for
	case err != nil:
		return err
	case st.Newer():
		return nil // a newer schema this binary runs on: nothing to apply
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)`,
		strconv.FormatInt(lim.lock.Milliseconds(), 10), strconv.FormatInt(lim.statement.Milliseconds(), 10)); err != nil {
		return err
	}
	// The connection goes back to the pool: its timeouts go back to the defaults.
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `RESET lock_timeout`); err != nil {
			conn.Conn().Close(ctx)
			return
		}
		if _, err := conn.Exec(context.WithoutCancel(ctx), `RESET statement_timeout`); err != nil {
			conn.Conn().Close(ctx)
		}
	}()
	m, err := migrate.NewMigrator(ctx, conn.Conn(), "schema_version")
	if err != nil {
		return err
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `COMMENT ON TABLE schema_version IS '`+compatNote+strconv.Itoa(int(minBinary(st.Binary)))+`'`)
	return err
}
