package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minyi/internal/account"
	"minyi/internal/store"
)

// ledgerFixture records a small evening in street1 and one visit in street2.
func ledgerFixture(t *testing.T, e *testEnv) {
	t.Helper()
	file := "area_code,building,unit,room,key\n" + community1 + ",1,1,101,\n" + community1 + ",1,1,102,\n" +
		community1 + ",2,1,201,\n" + community1 + ",2,1,202,\n"
	if res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(file), false, e.auth()...); res.StatusCode != 200 {
		t.Fatalf("households: %d %v", res.StatusCode, body)
	}
	vol1 := e.volunteer("vol1", street1)
	vol2 := e.volunteer("vol2", community3)
	for _, step := range []struct {
		token, path string
		body        map[string]any
	}{
		{vol1, "/api/v1/responses", doorToDoor(e.def, community1, "1-1-101")},
		{vol1, "/api/v1/visits", notHome(community1, "1-1-102", "not_home")},
		{vol1, "/api/v1/responses", doorToDoor(e.def, community1, "1-1-102")},
		{vol1, "/api/v1/visits", notHome(community1, "2-1-201", "refused")},
		{vol1, "/api/v1/responses", doorToDoor(e.def, community1, "=散户1")},
		{vol2, "/api/v1/responses", doorToDoor(e.def, community3, "7-7-707")},
	} {
		if res, body := e.do("POST", step.path, step.body, bearer(step.token)...); res.StatusCode != 201 {
			t.Fatalf("%s %v: got %d %v", step.path, step.body["household"], res.StatusCode, body)
		}
	}
}

func TestCoverageAndLedger(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ledgerFixture(t, e)
	offA := newToken(t, e.store, "offa", account.Official, street1)
	var cover struct {
		Communities []store.CoverageRow  `json:"communities"`
		Volunteers  []store.VolunteerDay `json:"volunteers"`
	}
	if st := e.getJSON("/api/v1/ledger/coverage?survey=chuangwen&area="+street1, &cover, bearer(offA)...); st != 200 {
		t.Fatalf("coverage: got %d", st)
	}
	type row struct {
		area, building      string
		total               int // -1: unknown
		visited, done, refu int
	}
	want := []row{
		{community1, "", 4, 4, 3, 1},
		{community1, "", -1, 1, 1, 0}, // households not listed
		{community1, "1", 2, 2, 2, 0},
		{community1, "2", 2, 1, 0, 1},
		{community2, "", 1940, 0, 0, 0},
		{"990100001003", "", 2315, 0, 0, 0},
		{"990100001004", "", 1580, 0, 0, 0},
		{"990100001005", "", 3120, 0, 0, 0},
	}
	if len(cover.Communities) != len(want) {
		t.Fatalf("coverage rows: got %d %+v, want %d", len(cover.Communities), cover.Communities, len(want))
	}
	for i, w := range want {
		g := cover.Communities[i]
		total := -1
		if g.Households != nil {
			total = *g.Households
		}
		if g.AreaCode != w.area || g.Building != w.building || total != w.total || g.Visited != w.visited ||
			g.Completed != w.done || g.Refused != w.refu || g.IsBuilding != (i >= 1 && i <= 3) {
			t.Errorf("row %d: got %+v (households %d), want %+v", i, g, total, w)
		}
	}
	if len(cover.Volunteers) != 2 || cover.Volunteers[0].Username != "vol1" || cover.Volunteers[0].Entries != 3 ||
		cover.Volunteers[1].Day != e.dayFrom(0) || cover.Volunteers[1].Entries != 3 {
		t.Errorf("volunteers: got %+v, want vol1's 3 entries today and in total", cover.Volunteers)
	}

	var ledger struct {
		Rows []store.LedgerRow `json:"rows"`
	}
	if st := e.getJSON("/api/v1/ledger?survey=chuangwen&area="+street1, &ledger, bearer(offA)...); st != 200 || len(ledger.Rows) != 5 {
		t.Fatalf("ledger: got %d with %d rows, want 200 with 5", st, len(ledger.Rows))
	}
	for _, r := range ledger.Rows {
		if r.Community != "望江社区" || r.Username != "vol1" || r.VisitedAt.Minute() != 0 || r.VisitedAt.Second() != 0 {
			t.Errorf("ledger row: got %+v, want vol1 in 望江社区, to the hour", r)
		}
	}
	if st := e.getJSON("/api/v1/ledger?survey=chuangwen&area="+community3, &ledger, bearer(offA)...); st != 404 {
		t.Errorf("ledger of street2 for street1's official: got %d, want 404", st)
	}

	// The workbook: the ledger, the coverage and the volunteers, read back.
	res, raw := e.send("GET", "/api/v1/export/ledger.xlsx?survey=chuangwen&area="+street1, nil, bearer(offA)...)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "ledger-"+street1) {
		t.Fatalf("ledger.xlsx: got %d %s", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "入户台账,覆盖情况,志愿者统计" {
		t.Errorf("sheets: got %s", got)
	}
	rows, _ := f.GetRows("入户台账")
	if len(rows) != 6 || strings.Join(rows[0], ",") != "日期,时段,村居,区域,区域代码,住户,楼栋,单元,房号,志愿者,账号,入户结果" {
		t.Fatalf("ledger sheet: got %d rows, header %v", len(rows), rows[0])
	}
	outcomes := map[string]int{}
	homes := map[string]bool{}
	for _, r := range rows[1:] {
		outcomes[r[11]]++
		homes[r[5]] = true
		if r[2] != "望江社区" || r[4] != community1 || r[10] != "vol1" {
			t.Errorf("ledger line: got %v", r)
		}
	}
	if outcomes["已完成"] != 3 || outcomes["不在家"] != 1 || outcomes["拒访"] != 1 || !homes["'=散户1"] {
		t.Errorf("ledger outcomes: got %v %v, want 3 已完成, 1 不在家, 1 拒访 and the formula-like key made inert", outcomes, homes)
	}
	rows, _ = f.GetRows("覆盖情况")
	if len(rows) != 9 || strings.Join(rows[1][:6], ",") != community1+",望江社区,,4,4,3" || rows[2][2] != "未登记楼栋" {
		t.Errorf("coverage sheet: got %v", rows)
	}
	rows, _ = f.GetRows("志愿者统计")
	if len(rows) != 3 || rows[1][2] != "本轮合计" || rows[1][3] != "3" || rows[2][2] != e.dayFrom(0) {
		t.Errorf("volunteers sheet: got %v", rows)
	}
	if got := e.count(`SELECT count(*) FROM audit_events WHERE action = 'export.ledger_xlsx' AND scope = $1`, street1); got != 1 {
		t.Errorf("audited ledger exports: got %d, want 1", got)
	}

	// The page shows the same.
	c := e.signIn("offa")
	res, page := c.get("/ledger?survey=chuangwen&area=" + street1)
	if res.StatusCode != 200 || !strings.Contains(page, `id="coverage"`) || !strings.Contains(page, "75.0%") ||
		!strings.Contains(page, "=散户1") || !strings.Contains(page, `href="/api/v1/export/ledger.xlsx?survey=chuangwen&amp;area=`+street1) {
		t.Errorf("ledger page: got %d, want coverage with 75.0%% completed, the ledger and the export link", res.StatusCode)
	}
}
