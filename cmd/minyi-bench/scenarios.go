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
	"strings"
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

// submissions is the resident burst: every resident is new, as after a poster
// campaign: it opens the form (no device cookie, so a new device) and posts its
// answers with the page's form token, a fresh client_id, and the device cookie.
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
	addr := strings.TrimPrefix(e.baseURL, "http://")
	areas := communities
	if e.spread != nil {
		areas = e.spread
	}
	conns := make([]rawConn, concurrency) // one per worker: worker w touches only conns[w]
	bufs := make([][]byte, concurrency)
	res := closedLoop(ctx, concurrency, d, 0, http.StatusCreated, func(ctx context.Context, w, seq int) (int, int64) {
		if conns[w].addr == "" {
			conns[w].addr = addr
		}
		area := areas[spreadIndex(w, seq, len(areas))]
		return conns[w].resident("/s/chuangwen/"+area, func(token []byte) []byte {
			b := append(bufs[w][:0], `{"survey":"chuangwen","area":"`...)
			b = append(b, area...)
			b = append(b, `","client_id":"`...)
			b = append(b, uuid.NewString()...)
			b = append(b, `","answers":`...)
			b = append(b, bodies[(w*7+seq)%len(bodies)]...)
			b = append(b, `,"started_at":"`...)
			b = append(b, started...)
			b = append(b, `","form_token":"`...)
			b = append(b, token...)
			b = append(b, `"}`...)
			bufs[w] = b
			return b
		})
	})
	for i := range conns {
		conns[i].close()
	}
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

// dashboardViews are the officials' dashboard API calls measured over the seeded city:
// the city's overview, its districts and a street's communities with alerts, the
// ranking of all 1,000 communities, trends, topics, suggestions and coverage.
var dashboardViews = []struct{ name, path string }{
	{"dashboard: city overview", "/api/v1/dashboard/overview?survey=chuangwen&area=bc"},
	{"dashboard: city's districts", "/api/v1/dashboard/children?survey=chuangwen&area=bc"},
	{"dashboard: street's communities", "/api/v1/dashboard/children?survey=chuangwen&area=bs37"},
	{"dashboard: ranking of 1,000 communities", "/api/v1/dashboard/ranking?survey=chuangwen&area=bc&level=community&indicator=satisfaction"},
	{"dashboard: city trend by day", "/api/v1/dashboard/trends?survey=chuangwen&area=bc&by=day"},
	{"dashboard: city trend by week, qr", "/api/v1/dashboard/trends?survey=chuangwen&area=bc&by=week&channel=qr"},
	{"dashboard: city topics", "/api/v1/dashboard/topics?survey=chuangwen&area=bc"},
	{"dashboard: city suggestions", "/api/v1/dashboard/suggestions?survey=chuangwen&area=bc"},
	{"dashboard: street suggestions, page 3", "/api/v1/dashboard/suggestions?survey=chuangwen&area=bs37&offset=40"},
	{"dashboard: city suggestions, search", "/api/v1/dashboard/suggestions?survey=chuangwen&area=bc&q=%E8%B7%AF%E7%81%AF"},
	{"dashboard: city coverage (1,000 rows)", "/api/v1/dashboard/coverage?survey=chuangwen&area=bc"},
}

// seedExtras is the SQL that adds to a seeded response (row i of the seed) the
// answers the dashboard reads besides single choices: one to three options of the
// survey's first multiple-choice question, and for one response in four a text
// answer, with a phone number in it, to its first free-text question.
func seedExtras(def *survey.Definition) string {
	var sql string
	for _, q := range def.Questions {
		if q.Type == survey.Multi && len(q.Options) > 0 {
			sets := make([]string, 0, 3)
			for k := 1; k <= 3; k++ {
				var ids []string
				for j := 0; j < k && j < len(q.Options) && (q.Max == 0 || j < q.Max); j++ {
					ids = append(ids, fmt.Sprintf("%q", q.Options[(k+j*3)%len(q.Options)].ID))
				}
				sets = append(sets, "'["+strings.Join(ids, ",")+"]'")
			}
			sql += fmt.Sprintf(" || jsonb_build_object('%s', (ARRAY[%s])[1 + i %% 3]::jsonb)", q.ID, strings.Join(sets, ","))
			break
		}
	}
	for _, q := range def.Questions {
		if q.Type == survey.Text && q.Format == "" {
			sql += fmt.Sprintf(" || CASE WHEN i %% 4 = 0 THEN jsonb_build_object('%s', "+
				"'希望小区增加停车位，改善路灯照明。联系电话13812345678，第' || i || '号') ELSE '{}'::jsonb END", q.ID)
			break
		}
	}
	return sql
}
