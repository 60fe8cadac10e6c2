package web

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/internal/problem"
	"minyi/internal/store"
)

// seedProblem stores a problem raised at raised in code and takes it as far as the
// steps say, each at its own time: due, then rectified and closed when not zero.
func (e *testEnv) seedProblem(code, description string, raised time.Time, due string, closed time.Time, contacted bool, satisfied *bool) int64 {
	e.t.Helper()
	ctx := context.Background()
	a, err := e.store.Area(ctx, code)
	if err != nil {
		e.t.Fatal(err)
	}
	id, err := e.store.CreateProblem(ctx, store.NewProblem{New: problem.New{Category: "环境卫生", Description: description,
		Source: problem.FromInspection}, AreaID: a.ID, Username: "seed", At: raised})
	if err != nil {
		e.t.Fatal(err)
	}
	steps := []store.Step{}
	if due != "" {
		d, _ := problem.ParseDay(due)
		steps = append(steps, store.Step{Action: problem.Assign, UnitID: a.ID, Due: d, At: raised.Add(time.Hour)})
	}
	if !closed.IsZero() {
		steps = append(steps, store.Step{Action: problem.Rectify, Note: "内部整改记录", At: closed.Add(-time.Minute)},
			store.Step{Action: problem.Close, At: closed, Closing: problem.Closing{PublicNote: "公开说明：" + description,
				Contacted: contacted, Satisfied: satisfied}})
	}
	for _, st := range steps {
		if _, _, err := e.store.TakeStep(ctx, id, st); err != nil {
			e.t.Fatalf("%s: %v", st.Action, err)
		}
	}
	return id
}

// TestProblemFigures checks the figures per child area at a fixed now, with problems
// closed a minute either side of local midnight at the end of their due day.
func TestProblemFigures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	now := cst(2026, 12, 10, 12)
	e.srv.now = func() time.Time { return now }
	yes, no := true, false
	var zero time.Time
	e.seedProblem(community1, "A", cst(2026, 12, 1, 9), "2026-12-05", time.Date(2026, 12, 5, 23, 59, 0, 0, e.cfg.Location), true, &yes)
	e.seedProblem(community1, "B", cst(2026, 12, 1, 9), "2026-12-05", time.Date(2026, 12, 6, 0, 1, 0, 0, e.cfg.Location), true, &no)
	e.seedProblem(community1, "C 电话13812345678", cst(2026, 12, 3, 9), "2026-12-09", zero, false, nil)
	e.seedProblem(community1, "=HYPERLINK(\"http://evil\")", cst(2026, 12, 3, 9), "2026-12-10", zero, false, nil)
	e.seedProblem(community2, "E", cst(2026, 12, 2, 9), "2026-12-08", cst(2026, 12, 3, 10), false, nil)
	e.seedProblem(community2, "F", cst(2026, 12, 2, 9), "", zero, false, nil)
	e.seedProblem(street1, "G", cst(2026, 11, 25, 9), "2026-12-01", zero, false, nil)

	var st problemStats
	if code := e.getJSON("/api/v1/problems/stats?area="+street1, &st, e.auth()...); code != 200 {
		t.Fatalf("stats: got %d", code)
	}
	rows := map[string]problemStatRow{}
	for _, r := range st.Rows {
		rows[r.Area.Code+map[bool]string{true: "/own"}[r.Own]] = r
	}
	f := func(total, closed, onTime, base, overdue int, median float64, contacted, satisfied, satBase int) problem.Figures {
		return problem.Figures{Total: total, Closed: closed, OnTime: onTime, OnTimeBase: base, Overdue: overdue,
			MedianDays: &median, Contacted: contacted, Satisfied: satisfied, SatisfiedBase: satBase}
	}
	for _, tc := range []struct {
		name string
		got  problem.Figures
		want problem.Figures
	}{
		{"community1", rows[community1].Figures, f(4, 2, 1, 3, 1, 4.5, 2, 1, 2)},
		{"community2", rows[community2].Figures, f(2, 1, 1, 1, 0, 1, 0, 0, 0)},
		{"street1 itself", rows[street1+"/own"].Figures, problem.Figures{Total: 1, OnTimeBase: 1, Overdue: 1}},
		{"total", st.Total, f(7, 3, 2, 5, 2, 4, 2, 1, 2)},
	} {
		g, w := tc.got, tc.want
		same := g.Total == w.Total && g.Closed == w.Closed && g.OnTime == w.OnTime && g.OnTimeBase == w.OnTimeBase &&
			g.Overdue == w.Overdue && g.Contacted == w.Contacted && g.Satisfied == w.Satisfied &&
			g.SatisfiedBase == w.SatisfiedBase && (g.MedianDays == nil) == (w.MedianDays == nil) &&
			(g.MedianDays == nil || *g.MedianDays == *w.MedianDays)
		if !same {
			t.Errorf("%s: got %+v, want %+v", tc.name, g, w)
		}
	}
	if r := rows[community1]; r.ClosureRate == nil || *r.ClosureRate != 0.5 || r.OnTimeRate == nil || *r.OnTimeRate != 1.0/3 {
		t.Errorf("community1 rates: got closure %v on time %v, want 0.5 and 1/3", r.ClosureRate, r.OnTimeRate)
	}
	if r := rows[community3]; r.Area.Code != "" {
		t.Errorf("street1's rows hold community3")
	}
	var window problemStats
	e.getJSON("/api/v1/problems/stats?area="+street1+"&from=2026-12-02&to=2026-12-02", &window, e.auth()...)
	if window.Total.Total != 2 {
		t.Errorf("raised on 12-02: got %d, want 2", window.Total.Total)
	}
	if res, _ := e.do("GET", "/api/v1/problems/stats?area="+street1+"&from=12/02", nil, e.auth()...); res.StatusCode != 400 {
		t.Errorf("bad from: got %d, want 400", res.StatusCode)
	}

	// The overdue list: overdue first, the longest overdue first.
	var list problemsReply
	e.getJSON("/api/v1/problems?area="+street1+"&overdue=1", &list, e.auth()...)
	if len(list.Items) != 2 || list.Items[0].Description != "G" || list.Items[0].DaysOverdue != 9 || list.Items[1].DaysOverdue != 1 {
		t.Errorf("overdue list: got %+v, want G (9 days) then C (1 day)", list.Items)
	}

	// The 问题交办清单: overdue first, formulas neutralised, phones masked, audited.
	res, raw := e.send("GET", "/api/v1/export/problems.xlsx?area="+street1, nil, e.auth()...)
	if res.StatusCode != 200 {
		t.Fatalf("export: got %d", res.StatusCode)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	sheet, _ := book.GetRows("问题交办清单")
	if len(sheet) != 8 || sheet[1][5] != "G" || sheet[1][13] != "是" || sheet[1][14] != "9" {
		t.Fatalf("export rows: got %d, first %v", len(sheet), sheet[1])
	}
	all := ""
	for _, r := range sheet {
		all += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(all, "'=HYPERLINK") || strings.Contains(all, "13812345678") || !strings.Contains(all, "138****5678") {
		t.Errorf("export: formulas or phones left as they were:\n%s", all)
	}
	figures, _ := book.GetRows("办结情况")
	if last := figures[len(figures)-1]; last[0] != "临江街道合计" || last[4] != "42.9%" || last[7] != "40.0%" {
		t.Errorf("export figures: got %v, want 临江街道合计 with 42.9%% and 40.0%%", last)
	}
	var n int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = 'export.problems_xlsx' AND scope = $1`, street1).Scan(&n)
	if n != 1 {
		t.Errorf("export audit events: got %d, want 1", n)
	}

	// The public page of community1: the closed problems' public notes, nothing else.
	_, page := e.send("GET", "/p/chuangwen/"+community1, nil)
	for _, want := range []string{"您反映的问题，我们在办", "公开说明：A", "公开说明：B", "2026年12月5日 办结", "2026年12月6日 办结"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	for _, never := range []string{"HYPERLINK", "138", "seed", "内部整改记录"} {
		if strings.Contains(string(page), never) {
			t.Errorf("public page shows %q", never)
		}
	}
	// The bulletin carries the same figures.
	_, bulletin := e.send("GET", "/bulletin?survey=chuangwen&area="+street1, nil, e.auth()...)
	for _, want := range []string{"问题交办与整改", "共交办群众反映和检查发现的问题 <strong>7</strong> 件", "按期办结率 40.0%", "逾期 9 天"} {
		if !strings.Contains(string(bulletin), want) {
			t.Errorf("bulletin lacks %q", want)
		}
	}
}
