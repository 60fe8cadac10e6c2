package web

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/area"
	"minyi/internal/csvfile"
	"minyi/internal/household"
)

// badLines is a CSV file of header and then bad lines (too few columns) up to size
// bytes, and the number of bad lines.
func badLines(header []string, size int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(strings.Join(header, ",") + "\n")
	n := 0
	for b.Len() < size {
		fmt.Fprintf(&b, "bad%d\n", n)
		n++
	}
	return b.Bytes(), n
}

// TestAttackUploadErrorsCapped uploads files of megabytes of bad lines: each reply
// lists the first 100 errors and counts them all, and stays small.
func TestAttackUploadErrorsCapped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	paperHeader := []string{"area_code", "household"}
	for _, q := range e.def.Questions {
		paperHeader = append(paperHeader, q.ID)
	}
	for _, tc := range []struct {
		name, path string
		header     []string
		size       int
	}{
		{"households", "/api/v1/households/import", household.Header, 7 << 20},
		{"paper", "/api/v1/paper/import?survey=chuangwen", paperHeader, 7 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file, n := badLines(tc.header, tc.size)
			res, raw := e.send("POST", tc.path, bytes.NewReader(file), append(e.auth(), "Content-Type", "text/csv")...)
			body := decoded(raw)
			if res.StatusCode != 422 || body["error"] != "invalid_file" {
				t.Fatalf("got %d %.300s, want 422 invalid_file", res.StatusCode, raw)
			}
			if lines, _ := body["lines"].([]any); len(lines) != csvfile.MaxReported {
				t.Errorf("lines: got %d, want %d", len(lines), csvfile.MaxReported)
			}
			if got, _ := body["total_errors"].(float64); int(got) != n {
				t.Errorf("total_errors: got %v, want %d", body["total_errors"], n)
			}
			if len(raw) > 16<<10 {
				t.Errorf("replied %d bytes to a %d-byte file, want at most 16 KB", len(raw), len(file))
			}
		})
	}

	// The areas page lists as many, and says how many there are.
	ctx := context.Background()
	var before int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM areas`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	admin := e.signIn("admin")
	file, n := badLines(area.Header, 2_000_000-1000)
	res, page := admin.postFile("/admin/areas/import", admin.csrfForm(url.Values{}), "file", "areas.csv", file)
	if res.StatusCode != 422 || !strings.Contains(page, csvfile.Omitted(csvfile.MaxReported, n)) {
		t.Errorf("areas page: got %d, want 422 saying %q", res.StatusCode, csvfile.Omitted(csvfile.MaxReported, n))
	}
	if got := strings.Count(page, "<li><code>areas.csv:"); got != csvfile.MaxReported {
		t.Errorf("areas page: got %d lines, want %d", got, csvfile.MaxReported)
	}
	if len(page) > 64<<10 {
		t.Errorf("areas page: %d bytes, want at most 64 KB", len(page))
	}
	var households, areas int
	if err := e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM households), (SELECT count(*) FROM areas)`).Scan(&households, &areas); err != nil {
		t.Fatal(err)
	}
	if households != 0 || areas != before {
		t.Errorf("households, areas: got %d, %d, want 0 and %d", households, areas, before)
	}
}
