//go:build linux

package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestBackupRestore is the restore drill: after a burst of resident, volunteer and
// paper submissions, pg_dump -Fc the database, pg_restore it into a fresh one, serve
// that with a second minyi, and check that both give the same indicators.
func TestBackupRestore(t *testing.T) {
	load := pick(2*time.Second, 20*time.Second)
	svc := startServices(t, true)
	env, token := setup(t, svc)
	m := serve(t, env, svc.dir)
	bursts := []struct {
		b       *burst
		workers int
	}{
		{newBurst(t, m.url, "", "", false), workers / 2},
		{newBurst(t, m.url, token, "volunteer", false), workers / 4},
		{newBurst(t, m.url, token, "paper", false), workers / 4},
	}
	var stops []func()
	for _, s := range bursts {
		stops = append(stops, s.b.start(t, s.workers))
	}
	time.Sleep(load)
	for _, stop := range stops {
		stop()
	}
	var all []*burst
	for i, s := range bursts {
		as := s.b.results()
		report(t, "not answered 201", filter(as, func(a attempt) bool { return a.status != 201 }))
		if len(s.b.acked) == 0 {
			t.Fatalf("burst %d: nothing acknowledged", i)
		}
		all = append(all, s.b)
	}
	n := verifyStored(t, svc.databaseURL, all...)

	dump := filepath.Join(svc.dir, "minyi.dump")
	start := time.Now()
	svc.pgTool(t, "pg_dump", "-Fc", "-d", "postgres", "-f", dump)
	dumped := time.Since(start)
	restored := strings.Replace(svc.databaseURL, "/postgres?", "/minyi_restored?", 1)
	createDatabase(t, svc.databaseURL, "minyi_restored")
	start = time.Now()
	svc.pgTool(t, "pg_restore", "--exit-on-error", "-d", "minyi_restored", dump)
	restoreTook := time.Since(start)
	if got := stored(t, restored); !maps.Equal(got, stored(t, svc.databaseURL)) {
		t.Errorf("restored database holds %d responses, not the same as the %d of the original", len(got), n)
	}

	env2 := withEnv(env, "DATABASE_URL", restored)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	env2 = withEnv(withEnv(withEnv(env2, "MINYI_ADDR", addr), "MINYI_BASE_URL", "http://"+addr), "MINYI_REDIS_PREFIX", "minyi2:")
	env2 = withEnv(env2, "MINYI_METRICS_ADDR", fmt.Sprintf("127.0.0.1:%d", freePort(t)))
	m2 := serve(t, env2, svc.dir)

	base := "/api/v1/indicators?survey=chuangwen&area=" + district
	for _, q := range []string{"&by=children", "", "&round=all", "&round=all&by=children",
		"&channel=volunteer", "&channel=paper&by=children", "&channel=qr&round=all"} {
		want := indicators(t, m, base+q, token)
		got := indicators(t, m2, base+q, token)
		if !bytes.Equal(got, want) {
			t.Errorf("GET %s from the restored database:\ngot  %s\nwant %s", base+q, got, want)
		}
	}
	if got := m2.respondents(t, token); got != n {
		t.Errorf("restored indicators count %d respondents, want %d", got, n)
	}
	t.Logf("%d responses (qr %d, volunteer %d, paper %d); pg_dump took %v, pg_restore %v; 7 indicator queries identical",
		n, len(bursts[0].b.acked), len(bursts[1].b.acked), len(bursts[2].b.acked),
		dumped.Round(time.Millisecond), restoreTook.Round(time.Millisecond))
}

// indicators returns the body of a 200 reply to the indicators query path.
// indicators returns the figures at path once every response is counted, without the
// time of the last count (as_of), which differs between two servers.
func indicators(t *testing.T, m *minyi, path, token string) []byte {
	t.Helper()
	for try := 0; ; try++ {
		code, body, err := m.get(path, token)
		if err != nil || code != 200 {
			t.Fatalf("GET %s: got %d %v %s, want 200", path, code, err, body)
		}
		var reply map[string]any
		if err := json.Unmarshal(body, &reply); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if n, _ := reply["uncounted"].(float64); n > 0 && try < 100 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		delete(reply, "as_of")
		out, err := json.Marshal(reply)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// createDatabase creates an empty database called name on the cluster of url.
func createDatabase(t *testing.T, url, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
}
