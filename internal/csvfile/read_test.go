package csvfile

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	format := Format{Header: Exactly([]string{"a", "b"}), MaxRows: 2, TooMany: "一次最多导入 %d 行"}
	for _, tc := range []struct {
		name, file string
		taken      []int
		lines      []string
	}{
		{"good, with a BOM and a blank line", "\ufeffa,b\n\n1,2\n3,4\n", []int{3, 4}, nil},
		{"header", "a,c\n1,2\n", nil, []string{"f.csv:1: 表头应为 a,b"}},
		{"no data", "a,b\n", nil, []string{"f.csv:1: 文件中没有数据行"}},
		{"empty", "", nil, []string{"f.csv:1: 文件中没有数据行"}},
		{"every bad line", "a,b\n1\nbad,2\n3,4\n5,6,7\n", []int{4}, []string{
			"f.csv:2: 应有 2 列，实际 1 列",
			"f.csv:3: bad",
			"f.csv:3: worse",
			"f.csv:5: 应有 2 列，实际 3 列",
		}},
		// A bad record counts towards MaxRows as a good one does.
		{"too many", "a,b\n1,2\nbad,0\n3,4\n5,6\n", []int{2}, []string{
			"f.csv:3: bad",
			"f.csv:3: worse",
			"f.csv:4: 一次最多导入 2 行",
		}},
		// 区域 and 宁 as Excel writes them by default, in GBK.
		{"GBK header", "\xc7\xf8\xd3\xf2,b\n1,2\n", nil, []string{"f.csv:1: " + NotUTF8}},
		{"GBK on a later line", "a,b\n1,2\n3,\xc4\xfe\n5,6\n", []int{2}, []string{"f.csv:3: " + NotUTF8}},
		{"malformed", "a,b\n1,2\n\"3,4\n", []int{2}, []string{"f.csv:3: CSV 格式错误: extraneous or missing \" in quoted-field"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var taken []int
			err := format.Read("f.csv", strings.NewReader(tc.file), func(line int, rec []string) []string {
				if rec[0] == "bad" {
					return []string{"bad", "worse"}
				}
				taken = append(taken, line)
				return nil
			})
			if !slices.Equal(taken, tc.taken) {
				t.Errorf("taken lines: got %v, want %v", taken, tc.taken)
			}
			var got []string
			var ie *ImportError
			if errors.As(err, &ie) {
				for _, l := range ie.Lines {
					got = append(got, l.String())
				}
			} else if err != nil {
				t.Fatalf("got %v, want an *ImportError", err)
			}
			if strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.lines, "\n"))
			}
		})
	}
}

func TestReadErrorsCapped(t *testing.T) {
	format := Format{Header: Exactly([]string{"a", "b"}), MaxRows: 10, TooMany: "一次最多导入 %d 行"}
	file := "a,b\n" + strings.Repeat("1\n", 250) + strings.Repeat("x", 1000) + ",2\n"
	err := format.Read("f.csv", strings.NewReader(file), func(line int, rec []string) []string {
		return []string{"值 " + rec[0] + " 有误"}
	})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an *ImportError", err)
	}
	if len(ie.Lines) != MaxReported || ie.Total != 251 {
		t.Errorf("got %d lines of %d, want %d of 251", len(ie.Lines), ie.Total, MaxReported)
	}
	report := ie.Report()
	if got, want := report[len(report)-1], "……共 251 处错误，仅列出前 100 处"; got != want {
		t.Errorf("last line: got %q, want %q", got, want)
	}
	// A reason quoting a long field is cut.
	short := &ImportError{}
	short.Add("f.csv", 1, "值 %s 有误", strings.Repeat("x", 1000))
	if n := len([]rune(short.Lines[0].Reason)); n > maxReason+1 {
		t.Errorf("reason: got %d characters, want at most %d", n, maxReason+1)
	}
}

// BenchmarkReadBadLines reads 7 MB of bad lines: what it keeps is MaxReported lines,
// whatever the size of the file (see the B/op and the retained heap it reports).
func BenchmarkReadBadLines(b *testing.B) {
	format := Format{Header: Exactly([]string{"a", "b", "c", "d", "e"}), MaxRows: 200000, TooMany: "一次最多导入 %d 行"}
	file := "a,b,c,d,e\n" + strings.Repeat("bad\n", 7<<20/4)
	b.ReportAllocs()
	for b.Loop() {
		err := format.Read("f.csv", strings.NewReader(file), func(int, []string) []string { return nil })
		var ie *ImportError
		if !errors.As(err, &ie) || len(ie.Lines) != MaxReported {
			b.Fatalf("got %v", err)
		}
	}
}
