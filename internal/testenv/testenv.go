// Package testenv gives tests their own throwaway PostgreSQL database and Redis key
// space on the servers that `make test` starts, the configuration a service under
// test runs with, the demo areas and an open round of the default questionnaire, and
// finds the Chromium to drive.
//
// Without TEST_DATABASE_URL or TEST_REDIS_URL the tests that need them skip, unless
// MINYI_REQUIRE_SERVICES=1 (set by make test and CI), where they fail.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"minyi/internal/store"
)

// Missing skips the test for want of what reason says, or fails it when
// MINYI_REQUIRE_SERVICES=1 (make test, CI), where every test must run.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("MINYI_REQUIRE_SERVICES") == "1" {
		t.Fatal(reason)
	}
	t.Skip(reason)
}

func need(t testing.TB, env string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		Missing(t, env+" is not set; run the tests with make test")
	}
	return v
}

// Name returns a random lowercase name with the given prefix.
func Name(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

var template struct {
	once sync.Once
	name string
	err  error
}

// DatabaseURL creates a fresh, migrated database for this test, drops it when the
// test ends, and returns its URL.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	admin := need(t, "TEST_DATABASE_URL")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	template.once.Do(func() { template.name, template.err = makeTemplate(ctx, admin) })
	if template.err != nil {
		t.Fatalf("template database: %v", template.err)
	}
	name := Name("minyi_test_")
	if err := exec1(ctx, admin, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template.name)); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec1(ctx, admin, fmt.Sprintf(`DROP DATABASE %s WITH (FORCE)`, name)); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(t, admin, name)
}

// DB returns a pool on a fresh, migrated database of its own; see DatabaseURL.
func DB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), DatabaseURL(t))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// makeTemplate creates and migrates the database every test database is copied
// from, once per test binary. Each package's binary has its own template.
func makeTemplate(ctx context.Context, admin string) (string, error) {
	name := Name("minyi_tpl_")
	if err := exec1(ctx, admin, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	cfg, err := pgxpool.ParseConfig(admin)
	if err != nil {
		return "", err
	}
	cfg.ConnConfig.Database = name
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return "", err
	}
	defer pool.Close()
	return name, store.Migrate(ctx, pool)
}

func withDatabase(t testing.TB, url, name string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
}

func exec1(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// Redis returns a client on the test Redis, set up as the service sets up its own
// (calls give up at their context's deadline), and a key prefix of this test's own.
func Redis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	url := need(t, "TEST_REDIS_URL")
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("parse TEST_REDIS_URL: %v", err)
	}
	opts.ContextTimeoutEnabled = true
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("ping %s: %v", url, err)
	}
	return rdb, Name("test:") + ":"
}

// Chromium returns the path of the Chromium binary for browser tests.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("MINYI_CHROMIUM"); p != "" {
		return p
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	need(t, "MINYI_CHROMIUM")
	return ""
}

type quietRedisLogger struct{}

func (quietRedisLogger) Printf(context.Context, string, ...any) {}

// QuietRedisLogs stops go-redis from printing a line for every failed dial, which
// tests that take Redis away on purpose would otherwise fill their output with. Call it
// from TestMain.
func QuietRedisLogs() { redis.SetLogger(quietRedisLogger{}) }
