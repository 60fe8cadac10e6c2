package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// seedInfo says what the dashboard benchmark ran over.
type seedInfo struct {
	Communities int
	Responses   int
	Tallies     int
	Rollups     int
	Took        time.Duration
}

// seedCity adds a city of 10 districts, 100 streets and communities communities
// through `minyi area import`, then responses spread over them, 14 days and the three
// channels, straight into PostgreSQL, and rebuilds the counts the API reads.
func (e *benchEnv) seedCity(ctx context.Context, communities, responses int) (seedInfo, error) {
	start := time.Now()
	var csv strings.Builder
	csv.WriteString("code,name,kind,parent_code,households,in_scope\nbc,基准市,city,,,true\n")
	for d := range 10 {
		fmt.Fprintf(&csv, "bd%d,第%d区,district,bc,,true\n", d, d+1)
		for s := range 10 {
			fmt.Fprintf(&csv, "bs%d%d,第%d街道,street,bd%d,,true\n", d, s, s+1, d)
		}
	}
	for c := range communities {
		d, s := c%10, (c/10)%10
		fmt.Fprintf(&csv, "bc%d%d-%d,第%d社区,community,bs%d%d,2000,true\n", d, s, c, c+1, d, s)
	}
	dir, err := os.MkdirTemp("", "minyi-seed")
	if err != nil {
		return seedInfo{}, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "city.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		return seedInfo{}, err
	}
	if _, err := e.minyi(ctx, "area", "import", file); err != nil {
		return seedInfo{}, err
	}
	def, err := e.definition(ctx)
	if err != nil {
		return seedInfo{}, err
	}
	var pairs []string
	for _, q := range def.Questions {
		if q.Type != survey.Single {
			continue
		}
		ids := make([]string, len(q.Options))
		for i, o := range q.Options {
			ids[i] = "'" + o.ID + "'"
		}
		pairs = append(pairs, fmt.Sprintf("'%s', (ARRAY[%s])[1 + floor(random() * %d)::int]", q.ID, strings.Join(ids, ","), len(ids)))
	}
	const chunk = 100_000
	for from := 0; from < responses; from += chunk {
		to := min(from+chunk, responses)
		_, err := e.pool.Exec(ctx, `
			WITH r AS (SELECT id, version_id FROM rounds ORDER BY id LIMIT 1),
			c AS (SELECT array_agg(id ORDER BY id) AS ids FROM areas WHERE kind = 'community' AND code LIKE 'bc%')
			INSERT INTO responses (id, client_id, round_id, version_id, area_id, channel, answers,
				content_hash, submitted_at, day)
			SELECT gen_random_uuid(), gen_random_uuid(), r.id, r.version_id,
				c.ids[1 + i % cardinality(c.ids)], (ARRAY['qr','volunteer','paper'])[1 + i % 3],
				jsonb_build_object(`+strings.Join(pairs, ", ")+`)`+seedExtras(def)+`,
				md5(i::text), now() - (i % 14) * interval '1 day', current_date - (i % 14)
			FROM generate_series($1::int, $2::int - 1) AS i, r, c`, from, to)
		if err != nil {
			return seedInfo{}, err
		}
	}
	st := store.New(e.pool, time.Hour, time.Local)
	if err := st.RebuildCounts(ctx); err != nil {
		return seedInfo{}, err
	}
	if _, err := e.pool.Exec(ctx, `ANALYZE`); err != nil {
		return seedInfo{}, err
	}
	info := seedInfo{Communities: communities, Took: time.Since(start)}
	err = e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM tally_vectors),
		(SELECT count(*) FROM rollup_vectors)`).Scan(&info.Responses, &info.Tallies, &info.Rollups)
	return info, err
}

// dashboardRun is the indicators API measured on one view.
type dashboardRun struct {
	Name string
	Path string
	result
}

// dashboard asks the indicators API and the dashboard API for the views an official
// opens, 200 times each, one at a time.
func (e *benchEnv) dashboard(ctx context.Context) ([]dashboardRun, error) {
	views := []struct{ name, path string }{
		{"city, one row", "/api/v1/indicators?survey=chuangwen&area=bc"},
		{"city by district (10 rows)", "/api/v1/indicators?survey=chuangwen&area=bc&by=children"},
		{"district by street (10 rows)", "/api/v1/indicators?survey=chuangwen&area=bd3&by=children"},
		{"street by community (10 rows)", "/api/v1/indicators?survey=chuangwen&area=bs37&by=children"},
		{"city by district, channel qr", "/api/v1/indicators?survey=chuangwen&area=bc&by=children&channel=qr"},
		{"city by district, last 7 days", "/api/v1/indicators?survey=chuangwen&area=bc&by=children&from=" +
			time.Now().AddDate(0, 0, -6).Format(time.DateOnly) + "&to=" + time.Now().Format(time.DateOnly)},
	}
	views = append(views, dashboardViews...)
	var out []dashboardRun
	for _, v := range views {
		res := closedLoop(ctx, 1, 2*time.Minute, 200, http.StatusOK, func(ctx context.Context, w, seq int) (int, int64) {
			req, _ := http.NewRequestWithContext(ctx, "GET", e.baseURL+v.path, nil)
			req.Header.Set("Authorization", "Bearer "+e.token)
			return e.do(req)
		})
		out = append(out, dashboardRun{Name: v.name, Path: v.path, result: res})
	}
	return out, nil
}
