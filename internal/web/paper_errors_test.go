package web

import (
	"fmt"
	"strings"
	"testing"

	"minyi/internal/csvfile"
)

// outOfScope is a community under street1 that TestPaperImportAllErrors and
// TestPaperImportErrorsCapped take out of the questionnaire.
const outOfScope, outOfScopeName = "990100001003", "金沙社区"

// paperErrorsEnv is an environment with outOfScope out of scope, a volunteer of
// street1 (its token) who has answered for 9-9-909 in community1, and the line a
// paper CSV file has for an area and household.
func paperErrorsEnv(t *testing.T) (e *testEnv, vol string, row func(area, home string) string) {
	e = newEnv(t, nil, nil)
	if _, _, err := e.store.SetAreaHouseholds(t.Context(), outOfScope, nil, false); err != nil {
		t.Fatal(err)
	}
	vol = e.volunteer("vol1", street1)
	if res, body := e.do("POST", "/api/v1/responses", doorToDoor(e.def, community1, "9-9-909"), bearer(vol)...); res.StatusCode != 201 {
		t.Fatalf("door-to-door answer: got %d %v", res.StatusCode, body)
	}
	row = func(area, home string) string {
		return strings.Split(string(paperCSV(e.def, [2]string{area, home})), "\n")[1] + "\n"
	}
	return e, vol, row
}

// TestPaperImportAllErrors uploads a file with every kind of bad line: one reply
// lists each line with every reason it has, in the order of the lines, and nothing
// is stored.
func TestPaperImportAllErrors(t *testing.T) {
	t.Parallel()
	e, vol, row := paperErrorsEnv(t)
	// A household another volunteer answered, in an area vol1 may not enter: vol1 is
	// told only that the area is not theirs.
	vol2 := e.volunteer("vol2", street2)
	if res, body := e.do("POST", "/api/v1/responses", doorToDoor(e.def, community3, "7-7-707"), bearer(vol2)...); res.StatusCode != 201 {
		t.Fatalf("door-to-door answer: got %d %v", res.StatusCode, body)
	}
	good := string(paperCSV(e.def, [2]string{community1, ""}))
	head := good[:strings.IndexByte(good, '\n')+1]
	columns := strings.Count(head, ",") + 1
	badOption := func(line string) string { return strings.Replace(line, "知道", "也许", 1) }
	noQ1 := func(line string) string {
		return strings.Replace(line, ","+e.def.Questions[0].Options[0].Text+",", ",,", 1)
	}
	file := head +
		row(community1, "1-1-101") + // 2: good
		badOption(row(community1, "")) +
		row("nope", "") +
		row(outOfScope, "") +
		row(community2, "2-2-202") + // 6: good
		row(community2, "2-2-202") +
		row(community1, "9-9-909") +
		badOption(row(community1, "9栋9单元909")) +
		row(community3, "7-7-707") +
		"x,y\n" +
		row("", "3-3-303") +
		noQ1(row(community1, "1-1-101"))
	q4 := "q4：选项 \"也许\" 无效，应为选项编号或文字之一：know（知道）、dont_know（不知道）"
	want := []string{
		"upload.csv:3: " + q4,
		"upload.csv:4: 区域代码 nope 不存在",
		"upload.csv:5: 区域 " + outOfScopeName + " 不在本次问卷调查范围内",
		"upload.csv:7: 住户 2-2-202 与第 6 行重复",
		"upload.csv:8: 该户本轮已完成问卷，不能重复录入",
		"upload.csv:9: 住户 9-9-909 与第 8 行重复",
		"upload.csv:9: 该户本轮已完成问卷，不能重复录入",
		"upload.csv:9: " + q4,
		"upload.csv:10: 您无权为区域 " + community3 + " 录入问卷（不在管辖范围内或未被分派）",
		fmt.Sprintf("upload.csv:11: 应有 %d 列，实际 2 列", columns),
		"upload.csv:12: 区域代码不能为空",
		"upload.csv:13: 住户 1-1-101 与第 2 行重复",
		"upload.csv:13: q1：请选择一项",
	}
	res, body := rawPost(e, "/api/v1/paper/import?survey=chuangwen", "text/csv", []byte(file), false, bearer(vol)...)
	if res.StatusCode != 422 || body["error"] != "invalid_file" {
		t.Fatalf("got %d %v, want 422 invalid_file", res.StatusCode, body)
	}
	wantLines(t, body, want)
	if got := body["total_errors"]; got != float64(len(want)) {
		t.Errorf("total_errors: got %v, want %d", got, len(want))
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE channel = 'paper'`); got != 0 {
		t.Errorf("paper responses stored: got %d, want 0", got)
	}
	if got := e.count(`SELECT count(*) FROM visits WHERE household IN ('1-1-101', '2-2-202')`); got != 0 {
		t.Errorf("visits of the file's households: got %d, want 0", got)
	}
}

// TestPaperImportErrorsCapped uploads a file of more than csvfile.MaxReported bad
// lines of every kind, the last a household answered already: the reply lists the
// first MaxReported lines and counts them all.
func TestPaperImportErrorsCapped(t *testing.T) {
	t.Parallel()
	e, vol, row := paperErrorsEnv(t)
	good := string(paperCSV(e.def, [2]string{community1, ""}))
	var file strings.Builder
	file.WriteString(good[:strings.IndexByte(good, '\n')+1])
	var want []string
	add := func(line string, reason string) {
		file.WriteString(line)
		if reason != "" {
			want = append(want, fmt.Sprintf("upload.csv:%d: %s", strings.Count(file.String(), "\n"), reason))
		}
	}
	for i := range 160 {
		switch i % 5 {
		case 0:
			add(strings.Replace(row(community1, ""), "知道", "也许", 1),
				"q4：选项 \"也许\" 无效，应为选项编号或文字之一：know（知道）、dont_know（不知道）")
		case 1:
			add(row("nope", ""), "区域代码 nope 不存在")
		case 2:
			add(row(outOfScope, ""), "区域 "+outOfScopeName+" 不在本次问卷调查范围内")
		case 3:
			if i == 3 {
				add(row(community2, "5-5-505"), "") // line 5, the first of these
			} else {
				add(row(community2, "5-5-505"), "住户 5-5-505 与第 5 行重复")
			}
		case 4:
			add(row(community1, fmt.Sprintf("4-4-%d", i)), "")
		}
	}
	add(row(community1, "9-9-909"), "该户本轮已完成问卷，不能重复录入")
	res, body := rawPost(e, "/api/v1/paper/import?survey=chuangwen", "text/csv", []byte(file.String()), false, bearer(vol)...)
	if res.StatusCode != 422 {
		t.Fatalf("got %d %v, want 422", res.StatusCode, body)
	}
	wantLines(t, body, want[:csvfile.MaxReported])
	if got := body["total_errors"]; got != float64(len(want)) {
		t.Errorf("total_errors: got %v, want %d", got, len(want))
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE channel = 'paper'`); got != 0 {
		t.Errorf("paper responses stored: got %d, want 0", got)
	}
}
