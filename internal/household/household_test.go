package household

import (
	"errors"
	"strings"
	"testing"

	"minyi/internal/csvfile"
)

func TestKey(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      bool
	}{
		{"3-2-501", "3-2-501", false},
		{" ３栋 2单元－501 ", "3-2-501", false},
		{"a座—1201", "A-1201", false},
		{"  ", "", true},
		{"3\x002", "", true},
		{strings.Repeat("户", 65), "", true},
		{strings.Repeat("户", 64), strings.Repeat("户", 64), false},
	} {
		got, err := Key(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("Key(%q): got %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestCompose(t *testing.T) {
	for _, tc := range []struct{ b, u, r, want string }{
		{"3", "2", "501", "3-2-501"},
		{"3", "", "501", "3-501"},
		{"", "", "", ""},
	} {
		if got := Compose(tc.b, tc.u, tc.r); got != tc.want {
			t.Errorf("Compose(%q, %q, %q): got %q, want %q", tc.b, tc.u, tc.r, got, tc.want)
		}
	}
}

func TestParseCSV(t *testing.T) {
	good := "\ufeffarea_code,building,unit,room,key\n" +
		"990100001001,3,2,501,\n" +
		"990100001001,,,,东区１号\n" +
		"990100001002,3,2,501,\n"
	rows, err := ParseCSV("h.csv", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{2, "990100001001", Household{"3-2-501", "3", "2", "501"}},
		{3, "990100001001", Household{"东区1", "", "", ""}},
		{4, "990100001002", Household{"3-2-501", "3", "2", "501"}},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows: got %d, want %d", len(rows), len(want))
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, rows[i], want[i])
		}
	}

	for _, tc := range []struct {
		name, file string
		lines      []string
	}{
		{"header", "code,name\n1,2\n", []string{"h.csv:1: 表头应为 area_code,building,unit,room,key"}},
		{"empty", "area_code,building,unit,room,key\n", []string{"h.csv:1: 文件中没有数据行"}},
		{"every bad line", "area_code,building,unit,room,key\n" +
			"990100001001,3,2,501,\n" +
			"990100001001,,,,\n" +
			"990100001001,3,2\n" +
			"990100001001,3,2,501,\n" +
			",1,1,1,\n", []string{
			"h.csv:3: 请填写楼栋、单元、房号，或填写住户编号 key",
			"h.csv:4: 应有 5 列，实际 3 列",
			"h.csv:5: 住户 3-2-501 与第 2 行重复",
			`h.csv:6: 区域代码 "" 无效`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCSV("h.csv", strings.NewReader(tc.file))
			var ie *csvfile.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want a *csvfile.ImportError", err)
			}
			var got []string
			for _, l := range ie.Lines {
				got = append(got, l.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.lines, "\n"))
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	for _, o := range []Outcome{Completed, Refused, NotHome, Revisit} {
		if !o.Valid() || o.Label() == string(o) {
			t.Errorf("outcome %s: got valid %v label %q", o, o.Valid(), o.Label())
		}
	}
	if Outcome("gone").Valid() {
		t.Errorf("outcome gone: got valid, want invalid")
	}
}
