package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/internal/store"
	"minyi/internal/survey"
)

// TestExportResponses checks the CSV and XLSX exports of responses: the BOM, the
// header, option texts, one row per response of the subtree, masked phone numbers,
// and text cells inert in a spreadsheet.
func TestExportResponses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	now := time.Now()
	texts := []string{
		`<script>alert("x")</script><img src=x onerror=alert(1)>`,
		`=HYPERLINK("http://evil.example","点我")`,
		"+1 请回电 13912345678",
		"-2",
		"@SUM(A1:A9)",
	}
	seed(t, e, e.round, community1, survey.ChannelQR, 1, now, func(int) map[string]any {
		return map[string]any{"q24": []any{"parking", "sanitation"}, "q25": texts[0], "q26": "yes", "q27": "13812345678"}
	})
	seed(t, e, e.round, community2, survey.ChannelPaper, 4, now, func(i int) map[string]any {
		return map[string]any{"q25": texts[i+1], "q4": "dont_know"}
	})
	seed(t, e, e.round, community3, survey.ChannelVolunteer, 2, now, nil) // street2: not exported

	q := "?survey=chuangwen&area=" + street1
	res, body := e.send("GET", "/api/v1/export/responses.csv"+q, nil, e.auth()...)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv: got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Errorf("csv starts with %q, want the UTF-8 byte order mark", body[:min(len(body), 3)])
	}
	if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, "filename*=UTF-8''"+rfc5987("临江街道_答卷_测试轮.csv")) ||
		!strings.Contains(got, `filename="responses_`+street1) {
		t.Errorf("Content-Disposition: got %s", got)
	}
	records, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := records[0]
	if got := strings.Join(header[:6], "|"); got != "提交时间|区域代码|区域|渠道|轮次|q1 您的身份" {
		t.Errorf("header: got %s", got)
	}
	if len(records) != 1+5 {
		t.Fatalf("csv rows: got %d, want 5 responses of street1", len(records)-1)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.Fields(h)[0]] = i
	}
	byText := map[string][]string{}
	for _, r := range records[1:] {
		byText[r[col["q25"]]] = r
	}
	first := byText[texts[0]]
	if first == nil {
		t.Fatalf("no row with the script text as is; rows %v", records[1:])
	}
	for _, c := range []struct{ name, got, want string }{
		{"area code", first[1], community1},
		{"area", first[2], "望江社区"},
		{"channel", first[3], "扫码自填"},
		{"round", first[4], "测试轮"},
		{"q4", first[col["q4"]], "知道"},
		{"q24", first[col["q24"]], "环境卫生、车辆乱停放、停车难"},
		{"q26", first[col["q26"]], "希望回访"},
		{"q27", first[col["q27"]], "138****5678"},
		{"formula", byText["'"+texts[1]][col["q4"]], "不知道"},
		{"formula channel", byText["'"+texts[1]][3], "纸质录入"},
		{"minus", byText["'-2"][col["q25"]], "'-2"},
		{"at", byText["'@SUM(A1:A9)"][col["q25"]], "'@SUM(A1:A9)"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	// Multiple choice, besides the joined text: one 0/1 column per option, blank when
	// the question was not answered.
	second := byText["'-2"]
	for _, c := range []struct{ name, got, want string }{
		{"q24/sanitation header", header[col["q24"]+1], "q24/sanitation 环境卫生"},
		{"q24/other header", header[col["q24"]+11], "q24/other 其他"},
		{"q25 after the options", header[col["q24"]+12], "q25 您对创建文明城市和社区建设还有什么意见建议？"},
		{"q24/sanitation chosen", first[col["q24/sanitation"]], "1"},
		{"q24/parking chosen", first[col["q24/parking"]], "1"},
		{"q24/dogs not chosen", first[col["q24/dogs"]], "0"},
		{"q24/dogs unanswered", second[col["q24/dogs"]], ""},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if byText["'+1 请回电 139****5678"] == nil {
		t.Errorf("no row with the text starting with + neutralised and its phone masked; rows %v", records[1:])
	}
	if bytes.Contains(body, []byte("13812345678")) || bytes.Contains(body, []byte("13912345678")) {
		t.Errorf("csv holds an unmasked phone number")
	}

	res, book := e.send("GET", "/api/v1/export/responses.xlsx"+q, nil, e.auth()...)
	if res.StatusCode != 200 {
		t.Fatalf("xlsx: got %d %s", res.StatusCode, book)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("答卷")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(records) {
		t.Fatalf("xlsx rows: got %d, want %d as in the csv", len(rows), len(records))
	}
	for i := range rows {
		got := append(rows[i], make([]string, len(records[i])-len(rows[i]))...)
		if strings.Join(got, "\x00") != strings.Join(records[i], "\x00") {
			t.Errorf("xlsx row %d: got %q, want the csv's %q", i, got, records[i])
		}
	}
	// The option columns are numbers in the workbook.
	for r := 2; r <= len(rows); r++ {
		cell, _ := excelize.CoordinatesToCellName(col["q24/parking"]+1, r)
		typ, err := f.GetCellType("答卷", cell)
		v, _ := f.GetCellValue("答卷", cell)
		if want := excelize.CellTypeNumber; v != "" && (err != nil || typ != want && typ != excelize.CellTypeUnset) {
			t.Errorf("xlsx %s (%q): got type %v (%v), want a number", cell, v, typ, err)
		}
	}
	// The markup is stored as escaped text, never as markup.
	sheet := zipFile(t, book, "xl/worksheets/sheet1.xml")
	if !strings.Contains(sheet, "&lt;script&gt;") || strings.Contains(sheet, "<script>") {
		t.Errorf("sheet XML: want the script text escaped")
	}
}

func zipFile(t *testing.T, book []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}

// TestResponsesCSVMemory streams 20,000 responses and checks that the live heap does
// not grow while they go out: rows are never gathered in memory.
func TestResponsesCSVMemory(t *testing.T) {
	e := newEnv(t, nil, nil)
	const n = 20000
	ctx := context.Background()
	a, err := e.store.Area(ctx, community1)
	if err != nil {
		t.Fatal(err)
	}
	answers, err := e.def.Check(answersWith(e.def, map[string]any{"q25": strings.Repeat("希望改进小区环境。", 20)}))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(answers)
	if _, err := e.pool.Exec(ctx, `
		INSERT INTO responses (id, client_id, round_id, version_id, area_id, channel, answers, content_hash, submitted_at, day)
		SELECT gen_random_uuid(), gen_random_uuid(), $1, $2, $3, 'qr', $4::jsonb, 'h', now(), current_date
		FROM generate_series(1, $5)`, e.round.ID, e.round.VersionID, a.ID, string(body), n); err != nil {
		t.Fatal(err)
	}
	root, err := e.store.Area(ctx, street1)
	if err != nil {
		t.Fatal(err)
	}
	x := &responsesExport{q: &indicatorQuery{Reply: indicatorsReply{Area: root, Round: &e.round}, Def: e.def},
		filter: store.ResponseFilter{RoundID: e.round.ID, AreaPath: root.Path}}
	var heap []uint64
	var written countingWriter
	sample := func() {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heap = append(heap, m.HeapAlloc)
	}
	rows, err := e.srv.writeResponsesCSV(ctx, &written, sample, x)
	if err != nil || rows != n {
		t.Fatalf("export: got %d rows, %v; want %d", rows, err, n)
	}
	growth := int64(heap[len(heap)-1]) - int64(heap[0])
	peak := int64(0)
	for _, h := range heap {
		peak = max(peak, int64(h)-int64(heap[0]))
	}
	t.Logf("%d rows, %d MB written, heap %d KB after the first %d rows, peak growth %d KB, end growth %d KB",
		rows, written/1e6, heap[0]/1024, flushEvery, peak/1024, growth/1024)
	if written < 10e6 {
		t.Fatalf("written %d bytes, want more than 10 MB to make the point", written)
	}
	if peak > 4<<20 {
		t.Errorf("heap grew by %d KB while %d MB were written, want under 4 MB: rows are held in memory", peak/1024, written/1e6)
	}
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
