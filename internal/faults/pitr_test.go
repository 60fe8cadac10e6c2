//go:build linux

package faults

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPointInTimeRestore is the restore drill of docs/deploy.md done by hand, as
// CloudNativePG does it in a cluster: a primary archives its WAL
// (archive_command), pg_basebackup takes a base backup, rows are written, a target
// time is noted, more rows are written; the base backup is then started in a new
// data directory with restore_command and recovery_target_time, and must hold
// exactly the rows committed before the target.
func TestPointInTimeRestore(t *testing.T) {
	requireServers(t)
	dir, err := os.MkdirTemp("/tmp", "minyi-pitr-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		// The clusters run as postgres, which must own the directory and reach it.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	archive := filepath.Join(dir, "archive")
	primary, restored := filepath.Join(dir, "primary"), filepath.Join(dir, "restored")
	asPostgres(t, "mkdir", archive)
	asPostgres(t, filepath.Join(pgBin, "initdb"), "-D", primary, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
	appendConf(t, primary, map[string]string{
		"archive_mode":    "on",
		"archive_command": fmt.Sprintf("test ! -f %s/%%f && cp %%p %s/%%f", archive, archive),
		"wal_level":       "replica",
	})
	port := startCluster(t, primary)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := connect(t, ctx, port)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`CREATE TABLE drill (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())`)
	insert := func(from, to int) {
		t.Helper()
		for id := from; id <= to; id += 25 { // a few transactions per batch
			exec(`INSERT INTO drill (id) SELECT generate_series($1::int, $2::int)`, id, min(id+24, to))
		}
	}
	insert(1, 100)

	asPostgres(t, filepath.Join(pgBin, "pg_basebackup"), "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", "postgres",
		"-D", restored, "-X", "stream", "-c", "fast")
	insert(101, 200)
	var target string
	if err := conn.QueryRow(ctx, `SELECT clock_timestamp()::text`).Scan(&target); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // later commits carry later timestamps
	insert(201, 300)
	var last string
	if err := conn.QueryRow(ctx, `SELECT pg_walfile_name(pg_switch_wal())`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the last WAL segment in the archive", func() bool {
		_, err := os.Stat(filepath.Join(archive, last))
		return err == nil
	})
	conn.Close(ctx)
	stopCluster(t, primary)

	// The restore: base backup + archived WAL, replayed up to the target, then promoted.
	appendConf(t, restored, map[string]string{
		"restore_command":        fmt.Sprintf("cp %s/%%f %%p", archive),
		"recovery_target_time":   target,
		"recovery_target_action": "promote",
		"archive_mode":           "off",
	})
	asPostgres(t, "touch", filepath.Join(restored, "recovery.signal"))
	start := time.Now()
	port = startCluster(t, restored)
	conn = connect(t, ctx, port)
	defer conn.Close(ctx)
	waitFor(t, 30*time.Second, "the restored cluster to be promoted", func() bool {
		var inRecovery bool
		return conn.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&inRecovery) == nil && !inRecovery
	})
	var n, lo, hi int
	if err := conn.QueryRow(ctx, `SELECT count(*), min(id), max(id) FROM drill`).Scan(&n, &lo, &hi); err != nil {
		t.Fatal(err)
	}
	if n != 200 || lo != 1 || hi != 200 {
		t.Errorf("restored to %s: got %d rows, ids %d–%d; want the 200 rows 1–200 committed before the target", target, n, lo, hi)
	}
	var after int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM drill WHERE at > $1::timestamptz`, target).Scan(&after); err != nil || after != 0 {
		t.Errorf("restored rows written after the target: %d (%v), want 0", after, err)
	}
	// The restored cluster takes writes: it is a primary of its own now.
	exec2 := `INSERT INTO drill (id) VALUES (1000)`
	if _, err := conn.Exec(ctx, exec2); err != nil {
		t.Errorf("%s on the restored cluster: %v", exec2, err)
	}
	t.Logf("restored to %s in %v: %d rows", target, time.Since(start).Round(time.Millisecond), n)
}

// asPostgres runs a command as the postgres user when we are root (PostgreSQL's
// programs refuse to run as root), else as ourselves.
func asPostgres(t *testing.T, name string, args ...string) {
	t.Helper()
	if os.Geteuid() == 0 {
		name, args = "runuser", append([]string{"-u", "postgres", "--", name}, args...)
	}
	if out, err := output(2*time.Minute, nil, name, args...); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// appendConf adds settings to a data directory's postgresql.auto.conf.
func appendConf(t *testing.T, data string, settings map[string]string) {
	t.Helper()
	var b strings.Builder
	for k, v := range settings {
		fmt.Fprintf(&b, "%s = '%s'\n", k, strings.ReplaceAll(v, "'", "''"))
	}
	cmd := exec.Command("tee", "-a", filepath.Join(data, "postgresql.auto.conf"))
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", "-u", "postgres", "--", "tee", "-a", filepath.Join(data, "postgresql.auto.conf"))
	}
	cmd.Dir, cmd.Stdin = "/", strings.NewReader(b.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("append to %s/postgresql.auto.conf: %v\n%s", data, err, out)
	}
}

// startCluster starts the cluster in data on a free loopback port (its socket in the
// data directory), stops it when the test ends, and returns the port.
func startCluster(t *testing.T, data string) int {
	t.Helper()
	port := freePort(t)
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=off", port, data)
	asPostgres(t, filepath.Join(pgBin, "pg_ctl"), "-D", data, "-l", data+".log", "-o", opts, "-w", "-t", "60", "start")
	t.Cleanup(func() { stopCluster(t, data) })
	return port
}

// stopCluster stops the cluster in data if it runs.
func stopCluster(t *testing.T, data string) {
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err != nil {
		return
	}
	asPostgres(t, filepath.Join(pgBin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "-t", "60", "stop")
}

func connect(t *testing.T, ctx context.Context, port int) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
