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
		{"too many", "a,b\n1,2\nbad,0\n3,4\n5,6\n7,8\n", []int{2, 4}, []string{
			"f.csv:3: bad",
			"f.csv:3: worse",
			"f.csv:5: 一次最多导入 2 行",
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
