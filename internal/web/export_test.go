package web

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// seed stores n responses at an area in a round, straight through the store at the
// given time, each with fullAnswers changed by changes(i).
func seed(t *testing.T, e *testEnv, round store.Round, code string, channel survey.Channel, n int, at time.Time, changes func(i int) map[string]any) {
	t.Helper()
	ctx := context.Background()
	a, err := e.store.Area(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	subs := make([]store.Submission, n)
	for i := range subs {
		var ch map[string]any
		if changes != nil {
			ch = changes(i)
		}
		answers, err := e.def.Check(answersWith(e.def, ch))
		if err != nil {
			t.Fatalf("seed answers: %v", err)
		}
		subs[i] = store.Submission{ClientID: uuid.New(), Round: round, AreaID: a.ID, Channel: channel,
			Answers: answers, Definition: e.def, ContentHash: "seed"}
	}
	for _, out := range e.store.SubmitBatch(ctx, subs, at) {
		if out.Err != nil {
			t.Fatalf("seed: %v", out.Err)
		}
	}
}

// satisfiedUnless answers q21 very_satisfied, or dissatisfied for the first bad ones.
func satisfiedUnless(bad int) func(int) map[string]any {
	return func(i int) map[string]any {
		if i < bad {
			return map[string]any{"q21": "dissatisfied"}
		}
		return map[string]any{"q21": "very_satisfied"}
	}
}

// TestExportIndicatorsXLSX opens the indicators workbook with excelize and checks
// that every figure equals the indicators API's.
func TestExportIndicatorsXLSX(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	now := time.Now()
	seed(t, e, e.round, community1, survey.ChannelQR, 40, now, func(i int) map[string]any {
		switch {
		case i < 4:
			return map[string]any{"q21": "dissatisfied", "q4": "dont_know"}
		case i < 6:
			return map[string]any{"q21": "unknown", "q10": "unsure"}
		}
		return nil
	})
	seed(t, e, e.round, community2, survey.ChannelPaper, 12, now, satisfiedUnless(3))
	q := "?survey=chuangwen&area=" + street1

	var api indicatorsReply
	if status := e.getJSON("/api/v1/indicators"+q+"&by=children", &api, e.auth()...); status != 200 {
		t.Fatalf("indicators: got %d", status)
	}
	var total indicatorsReply
	e.getJSON("/api/v1/indicators"+q, &total, e.auth()...)
	res, body := e.send("GET", "/api/v1/export/indicators.xlsx"+q, nil, e.auth()...)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("export: got %d %s, want 200 %s", res.StatusCode, res.Header.Get("Content-Type"), xlsxType)
	}
	wantName := "attachment; filename=\"indicators_" + street1 + "_round" + strconv.FormatInt(e.round.ID, 10) +
		".xlsx\"; filename*=UTF-8''" + rfc5987("临江街道_指标_测试轮.xlsx")
	if got := res.Header.Get("Content-Disposition"); got != wantName {
		t.Errorf("Content-Disposition: got %s, want %s", got, wantName)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != sheetTotals || got[1] != sheetChildren {
		t.Fatalf("sheets: got %v, want [%s %s] (the totals first)", got, sheetTotals, sheetChildren)
	}
	rows, err := f.GetRows(sheetChildren, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(api.Rows) || len(api.Rows) != 5 {
		t.Fatalf("rows: got %d, want a header and %d children (5)", len(rows), len(api.Rows))
	}
	if got := rows[0][:10]; strings.Join(got, "|") != "区域代码|区域名称|答卷数|知晓率排名|支持率排名|满意率排名|参与率排名|知晓率|知晓率有效样本|知晓率95%区间下限" {
		t.Errorf("header: got %v", got)
	}
	// Places among the children by the rate: community2's 12 answers are too few.
	wantPlaces := map[string]string{community1: "1"}
	for i, want := range api.Rows {
		row := append(rows[i+1], make([]string, 6)...)
		if row[0] != want.Area.Code || row[1] != want.Area.Name || row[2] != strconv.Itoa(want.Respondents) {
			t.Errorf("row %d: got %v, want %s %s %d", i, row[:3], want.Area.Code, want.Area.Name, want.Respondents)
		}
		place := wantPlaces[want.Area.Code]
		if place == "" {
			place = "—"
		}
		if row[3] != place {
			t.Errorf("%s 知晓率排名: got %q, want %q", want.Area.Code, row[3], place)
		}
		for j, r := range want.Indicators {
			checkFigure(t, want.Area.Code+" "+r.Name, row[7+6*j:7+6*j+6], want.Area, r)
		}
	}
	if typ, err := f.GetCellType(sheetChildren, "D2"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a place: got cell type %v (%v), want a number", typ, err)
	}
	// Rates are numbers shown as percentages.
	if style, err := f.GetCellStyle(sheetChildren, "H2"); err != nil {
		t.Fatal(err)
	} else if st, err := f.GetStyle(style); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
		t.Errorf("style of a rate: got %+v, %v; want the number format 0.0%%", st, err)
	}
	sum, err := f.GetRows(sheetTotals, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for j, r := range total.Rows[0].Indicators {
		row := append(sum[1+j], make([]string, 9)...) // trailing empty cells are not returned
		if row[0] != r.Name || row[3] != strconv.Itoa(r.Positive) {
			t.Errorf("totals %s: got %v, want %s with %d positive", r.Name, row, r.Name, r.Positive)
		}
		checkFigure(t, "total "+r.Name, []string{row[1], row[2], row[4], row[5], row[7], row[8]}, total.Rows[0].Area, r)
	}
	notes := map[string]string{}
	for _, row := range sum[len(total.Rows[0].Indicators)+1:] {
		if len(row) >= 2 {
			notes[row[0]] = row[1]
		}
	}
	for k, want := range map[string]string{"区域": "临江街道（" + street1 + "）", "轮次": "测试轮", "渠道": "全部渠道",
		"日期范围": "全部日期", "答卷数": "52", "导出人": "admin", "正在统计": "0 份"} {
		if notes[k] != want {
			t.Errorf("note %s: got %q, want %q", k, notes[k], want)
		}
	}
	if _, err := time.ParseInLocation("2006-01-02 15:04:05", notes["数据截至"], e.cfg.Location); err != nil {
		t.Errorf("note 数据截至: got %q, want the time of the last count", notes["数据截至"])
	}
}

// checkFigure compares rate, n, interval, target status and note cells with an API
// result: every rate cell holds the printed figure exactly (rounded to 0.1% by the
// one rule), so that Excel's 0.0% shows what the page prints.
func checkFigure(t *testing.T, where string, cells []string, a areaRef, r stats.Result) {
	t.Helper()
	for len(cells) < 6 {
		cells = append(cells, "")
	}
	num := func(i int, v *float64, text string) {
		if v == nil {
			if cells[i] != "—" {
				t.Errorf("%s cell %d: got %q, want —", where, i, cells[i])
			}
			return
		}
		got, err := strconv.ParseFloat(cells[i], 64)
		printed := strings.TrimSuffix(text, "%")
		want, _ := strconv.ParseFloat(printed, 64)
		if err != nil || math.Abs(got*100-want) > 1e-9 || fmt.Sprintf("%.1f", got*100) != printed {
			t.Errorf("%s cell %d: got %q, want %s", where, i, cells[i], text)
		}
	}
	num(0, r.Rate, r.RateText)
	if cells[1] != strconv.Itoa(r.Valid) {
		t.Errorf("%s n: got %q, want %d", where, cells[1], r.Valid)
	}
	num(2, r.CILow, r.CILowText)
	num(3, r.CIHigh, r.CIHighText)
	if cells[4] != statusText(r) {
		t.Errorf("%s status: got %q, want %q", where, cells[4], statusText(r))
	}
	if cells[5] != resultNote(a, r) {
		t.Errorf("%s note: got %q, want %q", where, cells[5], resultNote(a, r))
	}
}
