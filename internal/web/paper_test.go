package web

import (
	"net/url"
	"strings"
	"testing"

	"minyi/internal/account"
	"minyi/internal/csvfile"
)

// TestPaperImport uploads CSV files of paper questionnaires: every bad line named
// with its number, whatever is wrong with it, and nothing stored, all-or-nothing against households already done,
// and the same file twice counted once.
func TestPaperImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	vol := e.volunteer("vol1", street1)
	good := paperCSV(e.def, [2]string{community1, "1-1-101"}, [2]string{community2, ""}, [2]string{community1, ""})
	head := string(good[:strings.IndexByte(string(good), '\n')+1])
	row := func(area, home string) string {
		line := strings.Split(string(paperCSV(e.def, [2]string{area, home})), "\n")[1]
		return line + "\n"
	}
	swap := func(line, from, to string) string { return strings.Replace(line, from, to, 1) }
	e.do("POST", "/api/v1/responses", doorToDoor(e.def, community1, "9-9-909"), bearer(vol)...)
	for _, tc := range []struct {
		name     string
		file     string
		status   int
		lines    []string
		created  float64
		replayed float64
	}{
		{"bad lines", head + row(community1, "") + swap(row(community1, ""), "知道", "也许") +
			row("nope", "") + row(community3, "") + row(community2, "2-2-202") + row(community2, "2-2-202") +
			swap(row(community1, ""), ","+e.def.Questions[0].Options[0].Text+",", ",,"),
			422, []string{
				"upload.csv:3: q4：选项 \"也许\" 无效，应为选项编号或文字之一：know（知道）、dont_know（不知道）",
				"upload.csv:4: 区域代码 nope 不存在",
				"upload.csv:5: 您无权为区域 " + community3 + " 录入问卷（不在管辖范围内或未被分派）",
				"upload.csv:7: 住户 2-2-202 与第 6 行重复",
				"upload.csv:8: q1：请选择一项",
			}, 0, 0},
		{"saved by Excel in GBK", "area_code,household,q1\n" + community1 + ",,\xb1\xbe\xc9\xe7\xc7\xf8\n",
			422, []string{"upload.csv:2: " + csvfile.NotUTF8}, 0, 0},
		{"areas and households", head + row(community1, "") + row("nope", "") + row(community3, "") +
			row(community2, "2-2-202") + row(community2, "2-2-202"),
			422, []string{
				"upload.csv:3: 区域代码 nope 不存在",
				"upload.csv:4: 您无权为区域 " + community3 + " 录入问卷（不在管辖范围内或未被分派）",
				"upload.csv:6: 住户 2-2-202 与第 5 行重复",
			}, 0, 0},
		{"a household already done", head + row(community1, "") + row(community1, "9-9-909"),
			422, []string{"upload.csv:3: 该户本轮已完成问卷，不能重复录入"}, 0, 0},
		{"bad header", "area,household,q1\n", 422, []string{"upload.csv:1: 表头应为 area_code,household,题号…"}, 0, 0},
		{"unknown question", "area_code,household,q99\n", 422, []string{"upload.csv:1: 表头中的题号 \"q99\" 不在问卷中"}, 0, 0},
		{"good", string(good), 200, nil, 3, 0},
		{"the same file again", string(good), 200, nil, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := rawPost(e, "/api/v1/paper/import?survey=chuangwen", "text/csv", []byte(tc.file), false, bearer(vol)...)
			if res.StatusCode != tc.status {
				t.Fatalf("got %d %v, want %d", res.StatusCode, body, tc.status)
			}
			if tc.lines != nil {
				wantLines(t, body, tc.lines)
			} else if body["created"] != tc.created || (body["replayed"] != nil || tc.replayed != 0) && body["replayed"] != tc.replayed {
				t.Errorf("got %v, want %v created and %v replayed", body, tc.created, tc.replayed)
			}
			if got := e.count(`SELECT count(*) FROM responses WHERE channel = 'paper'`); got != int(tc.created+tc.replayed) {
				t.Errorf("paper responses stored: got %d, want %v", got, tc.created+tc.replayed)
			}
		})
	}
	if got := e.count(`SELECT count(*) FROM visits WHERE household = '1-1-101' AND outcome = 'completed'`); got != 1 {
		t.Errorf("the paper questionnaire's household in the visit log: got %d, want 1", got)
	}
	var ind indicatorsJSON
	e.getJSON("/api/v1/indicators?survey=chuangwen&area="+street1+"&channel=paper", &ind, e.auth()...)
	if ind.Rows[0].Respondents != 3 {
		t.Errorf("paper respondents: got %d, want 3", ind.Rows[0].Respondents)
	}
	// A multipart upload from the page, by an official, with multiple choice and text.
	newUser(t, e.store, "offa", account.Official, street1)
	c := e.signIn("offa")
	file := strings.TrimSuffix(head, "\n") + ",q24,q25\n" + strings.TrimSuffix(row(community2, "5-5-505"), "\n") + `,"parking;环境卫生",希望多种树` + "\n"
	res, body := e.uploadAPI("/api/v1/paper/import", url.Values{"survey": {"chuangwen"}}, "纸质.csv", []byte(file),
		"X-CSRF-Token", c.CSRF, "Cookie", c.cookie())
	if res.StatusCode != 200 || body["created"] != 1.0 {
		t.Fatalf("multipart upload: got %d %v, want 1 created", res.StatusCode, body)
	}
	var q24, q25 string
	e.pool.QueryRow(t.Context(), `SELECT answers->>'q24', answers->>'q25' FROM responses WHERE answers ? 'q25'`).Scan(&q24, &q25)
	if q24 != `["parking", "sanitation"]` || q25 != "希望多种树" {
		t.Errorf("answers: got %s %s", q24, q25)
	}
}

func TestPaperPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	e.volunteer("vol2", "")
	_, page := e.signIn("vol1").get("/paper")
	if !strings.Contains(page, `id="paper-form"`) || !strings.Contains(page, `<option value="`+community1+`">`) ||
		!strings.Contains(page, "area_code,household,q1,q2") {
		t.Errorf("paper page of an assigned volunteer: want the form, community1 and the CSV header")
	}
	_, page = e.signIn("vol2").get("/paper")
	if strings.Contains(page, `id="paper-form"`) || !strings.Contains(page, "您目前没有可录入的区域") {
		t.Errorf("paper page of a volunteer without assignment: want the notice, no form")
	}
	// With a household list, the area says how the list writes door numbers.
	e.importHouseholds(community1, "2幢3单元402室", "1栋1单元101")
	_, page = e.signIn("vol1").get("/paper")
	if want := `<option value="` + community1 + `" data-example="1-1-101">`; !strings.Contains(page, want) {
		t.Errorf("paper page of an area with a list: want %s", want)
	}
}

// TestCSVTemplates: the paper and household templates download as UTF-8 with a BOM
// and their header, and a template filled in imports.
func TestCSVTemplates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	vol := e.volunteer("vol1", community1)
	for _, tc := range []struct {
		name, path, token, header, row, importPath string
	}{
		{"paper", "/api/v1/paper/template.csv?survey=chuangwen", vol,
			"area_code,household,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12,q13,q14,q15,q16,q17,q18,q19,q20,q21,q22,q23,q24,q25,q26,q27",
			"", "/api/v1/paper/import?survey=chuangwen"},
		{"households", "/api/v1/households/template.csv", e.token, "area_code,building,unit,room,key",
			community1 + ",3,1,101,", "/api/v1/households/import"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, raw := e.send("GET", tc.path, nil, bearer(tc.token)...)
			body := string(raw)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("got %d %s %s, want 200 text/csv as an attachment", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
			}
			if want := "\ufeff" + tc.header + "\r\n"; body != want {
				t.Errorf("template: got %q, want %q", body, want)
			}
			row := tc.row
			if tc.name == "paper" {
				row = filledPaperRow(e, tc.header, community1, "3-1-101")
			}
			res, reply := rawPost(e, tc.importPath, "text/csv", []byte(body+row+"\r\n"), false, bearer(tc.token)...)
			if res.StatusCode != 200 || reply["created"] != 1.0 {
				t.Errorf("template filled in and imported: got %d %v, want 200 with 1 created", res.StatusCode, reply)
			}
		})
	}
}

// filledPaperRow answers each column of header for a paper CSV file: each required
// question's first option by its text, the rest blank.
func filledPaperRow(e *testEnv, header, area, home string) string {
	cells := []string{area, home}
	for _, id := range strings.Split(header, ",")[2:] {
		q, _ := e.def.Question(id)
		cell := ""
		if q.Required && len(q.Options) > 0 {
			cell = q.Options[0].Text
		}
		cells = append(cells, cell)
	}
	return strings.Join(cells, ",")
}
