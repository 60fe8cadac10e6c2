package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"

	"minyi/internal/survey"
)

// communities are demo area codes the simulated residents live in.
var communities = []string{
	"990100001001", "990100001002", "990100001003", "990100001004", "990100001005",
	"990100002001", "990100002002", "990100002003", "990100002004", "990100002005",
	"990100003001", "990100003002", "990100003003", "990100003004", "990100003201",
}

// definition fetches the survey through the API, as a client would.
func (e *benchEnv) definition(ctx context.Context) (*survey.Definition, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", e.baseURL+"/api/v1/surveys/chuangwen", nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var def survey.Definition
	return &def, json.NewDecoder(res.Body).Decode(&def)
}

// answerSets makes n complete, valid answer sets with random choices.
func answerSets(def *survey.Definition, n int) []map[string]any {
	sets := make([]map[string]any, n)
	for i := range sets {
		a := map[string]any{}
		for _, q := range def.Questions {
			switch {
			case q.Type == survey.Single && (q.Required || rand.IntN(2) == 0):
				a[q.ID] = q.Options[rand.IntN(len(q.Options))].ID
			case q.Type == survey.Multi:
				a[q.ID] = []string{q.Options[rand.IntN(len(q.Options))].ID}
			case q.Type == survey.Text && q.Format == "":
				a[q.ID] = "希望小区增加停车位，改善路灯照明。"
			}
		}
		if a["q26"] != "yes" {
			delete(a, "q27")
		}
		sets[i] = a
	}
	return sets
}

// submissions is the resident burst: every request is a new resident (no device
// cookie, a fresh client_id), as after a poster campaign.
func (e *benchEnv) submissions(ctx context.Context, concurrency int, d time.Duration) (result, error) {
	def, err := e.definition(ctx)
	if err != nil {
		return result{}, err
	}
	sets := answerSets(def, 64)
	bodies := make([]string, len(sets))
	for i, a := range sets {
		raw, _ := json.Marshal(a)
		bodies[i] = string(raw)
	}
	started := time.Now().UTC().Format(time.RFC3339)
	res := closedLoop(ctx, concurrency, d, 0, http.StatusCreated, func(ctx context.Context, w, seq int) (int, int64) {
		body := fmt.Sprintf(`{"survey":"chuangwen","area":%q,"client_id":%q,"answers":%s,"started_at":%q}`,
			communities[(w+seq)%len(communities)], uuid.NewString(), bodies[(w*7+seq)%len(bodies)], started)
		req, _ := http.NewRequestWithContext(ctx, "POST", e.baseURL+"/api/v1/responses", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		return e.do(req)
	})
	return res, nil
}

func (e *benchEnv) do(req *http.Request) (int, int64) {
	res, err := e.client.Do(req)
	if err != nil {
		return 0, 0
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, n
}

// storedResponses counts what the database holds, to compare with the 201s.
func (e *benchEnv) storedResponses(ctx context.Context) (int, error) {
	var n int
	err := e.pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&n)
	return n, err
}

// formPage loads the resident form as a phone does: gzip accepted, no cookie.
func (e *benchEnv) formPage(ctx context.Context, concurrency int, d time.Duration) (result, error) {
	res := closedLoop(ctx, concurrency, d, 0, http.StatusOK, func(ctx context.Context, w, seq int) (int, int64) {
		req, _ := http.NewRequestWithContext(ctx, "GET", e.baseURL+"/s/chuangwen/"+communities[(w+seq)%len(communities)], nil)
		req.Header.Set("Accept-Encoding", "gzip")
		return e.do(req)
	})
	return res, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbenchCeiling measures raw single-row INSERTs of a response-like row (uuid keys,
// a unique client_id, the answers as jsonb) with pgbench on the same server.
func (e *benchEnv) pgbenchCeiling(ctx context.Context, concurrency int, d time.Duration) (float64, error) {
	def, err := e.definition(ctx)
	if err != nil {
		return 0, err
	}
	answers, _ := json.Marshal(answerSets(def, 1)[0])
	if _, err := e.pool.Exec(ctx, `CREATE TABLE bench_ceiling (
		id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
		client_id uuid NOT NULL UNIQUE,
		area_id bigint NOT NULL,
		channel text NOT NULL,
		answers jsonb NOT NULL,
		content_hash text NOT NULL,
		submitted_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "minyi-pgbench")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "insert.sql")
	sql := fmt.Sprintf("INSERT INTO bench_ceiling (client_id, area_id, channel, answers, content_hash) "+
		"VALUES (gen_random_uuid(), 1, 'qr', '%s', md5(random()::text));\n", answers)
	if err := os.WriteFile(script, []byte(sql), 0o644); err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, e.o.pgbench, "-n", "-c", strconv.Itoa(concurrency), "-j", "2",
		"-T", strconv.Itoa(int(d.Seconds())), "-f", script, e.dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %v: %s", err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if m := tpsLine.FindStringSubmatch(sc.Text()); m != nil {
			return strconv.ParseFloat(m[1], 64)
		}
	}
	return 0, fmt.Errorf("pgbench printed no tps: %s", out)
}
