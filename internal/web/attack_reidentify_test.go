package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"regexp"
	"testing"
	"time"
)

// TestAttackExportJoinLedger plays an official who holds the visit ledger (who
// visited which household, to the hour) and the responses export, and tries to match
// door-to-door answers with households by time: the export shows a door-to-door
// answer's day at most, and only the round where its area has fewer than 5 of them
// that day and week; door-to-door suggestions show neither day nor time.
func TestAttackExportJoinLedger(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ledgerFixture(t, e) // 3 door-to-door answers in community1, 1 in community3
	file := "area_code,building,unit,room,key\n"
	for i := range 4 {
		file += fmt.Sprintf("%s,9,9,90%d,\n", community1, i)
	}
	if res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(file), false, e.auth()...); res.StatusCode != 200 {
		t.Fatalf("households: %d %v", res.StatusCode, body)
	}
	vol := e.volunteer("vol9", community1)
	e.importHouseholds(community1, "9-9-900", "9-9-901", "9-9-902", "9-9-903") // listed: counted, not held
	for i := range 4 {
		sub := doorToDoor(e.def, community1, fmt.Sprintf("9-9-90%d", i))
		sub["answers"].(map[string]any)["q25"] = fmt.Sprintf("第%d户的建议", i)
		if res, body := e.do("POST", "/api/v1/responses", sub, bearer(vol)...); res.StatusCode != 201 {
			t.Fatalf("door-to-door answer: got %d %v", res.StatusCode, body)
		}
	}
	resident := attackJSON(e, map[string]any{"q25": "居民的建议"})
	if res, body := e.do("POST", "/api/v1/responses", resident); res.StatusCode != 201 {
		t.Fatalf("resident answer: got %d %v", res.StatusCode, body)
	}

	var ledger ledgerReply
	if st := e.getJSON("/api/v1/ledger?survey=chuangwen&area="+district, &ledger, e.auth()...); st != 200 || len(ledger.Rows) < 8 {
		t.Fatalf("ledger: got %d with %d visits, want 200 with at least 8", st, len(ledger.Rows))
	}
	hours := map[string]bool{}
	for _, v := range ledger.Rows {
		hours[v.VisitedAt.In(e.cfg.Location).Format("2006-01-02 15")] = true
	}

	res, raw := e.send("GET", "/api/v1/export/responses.csv?survey=chuangwen&area="+district, nil, e.auth()...)
	if res.StatusCode != 200 {
		t.Fatalf("export: got %d", res.StatusCode)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(e.cfg.Location).Format(time.DateOnly)
	dateOnly := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	want := map[string]string{community1: today, community3: "本轮内"} // 7 answers today; 1 in the round
	door := 0
	for _, row := range rows[1:] {
		when, code, channel := row[0], row[1], row[3]
		if channel == "扫码自填" {
			if _, err := time.ParseInLocation("2006-01-02 15:04:05", when, e.cfg.Location); err != nil {
				t.Errorf("resident's answer: got time %q, want the exact time", when)
			}
			continue
		}
		door++
		if when != want[code] {
			t.Errorf("door-to-door answer in %s: got %q, want %q", code, when, want[code])
		}
		if !dateOnly.MatchString(when) && when != "本轮内" || hours[when[:min(len(when), 13)]] {
			t.Errorf("door-to-door answer in %s: %q can be matched with a visit's hour", code, when)
		}
	}
	if door != 8 {
		t.Errorf("door-to-door rows: got %d, want 8", door)
	}

	var sugg suggestionsReply
	if st := e.getJSON("/api/v1/dashboard/suggestions?survey=chuangwen&area="+district, &sugg, e.auth()...); st != 200 {
		t.Fatalf("suggestions: got %d", st)
	}
	for _, s := range sugg.Items {
		door := s.Channel != "qr"
		if door && (s.SubmittedAt != nil || s.Day != "本轮内") {
			t.Errorf("door-to-door suggestion %q: got day %q, time %v, want 本轮内 and no time", s.Text, s.Day, s.SubmittedAt)
		}
		if !door && (s.SubmittedAt == nil || s.Day != today) {
			t.Errorf("resident's suggestion %q: got day %q, time %v, want today and its time", s.Text, s.Day, s.SubmittedAt)
		}
	}
	if len(sugg.Items) != 5 {
		t.Errorf("suggestions: got %d, want 5", len(sugg.Items))
	}
}
