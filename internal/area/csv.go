package area

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"minyi/internal/csvfile"
)

// Row is one line of an area CSV file.
type Row struct {
	Line int
	Area Area
}

// Header is the exact first line of an area CSV file.
var Header = []string{"code", "name", "kind", "parent_code", "households", "in_scope"}

// MaxRows bounds one import.
const MaxRows = 100000

var codePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// ParseCSV reads an area CSV file (UTF-8, optional BOM, header line as Header). It
// checks each line on its own; references between lines are checked by Merge. It
// returns a *csvfile.ImportError listing every bad line.
func ParseCSV(file string, r io.Reader) ([]Row, error) {
	var rows []Row
	seen := map[string]int{}
	format := csvfile.Format{Header: csvfile.Exactly(Header), MaxRows: MaxRows, TooMany: "一次最多导入 %d 行"}
	err := format.Read(file, r, func(line int, rec []string) []string {
		a, reason := parseRecord(rec)
		if reason != "" {
			return []string{reason}
		}
		if first, dup := seen[a.Code]; dup {
			return []string{fmt.Sprintf("区划代码 %s 与第 %d 行重复", a.Code, first)}
		}
		seen[a.Code] = line
		rows = append(rows, Row{Line: line, Area: a})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func parseRecord(rec []string) (Area, string) {
	a := Area{Code: rec[0], Name: rec[1], ParentCode: rec[3], InScope: true}
	if !codePattern.MatchString(a.Code) {
		return a, fmt.Sprintf("区划代码 %q 无效：应为 1-32 位字母、数字、- 或 _", a.Code)
	}
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 64 {
		return a, "名称不能为空，且不超过 64 个字"
	}
	if !utf8.ValidString(a.Name) || strings.IndexFunc(a.Name, unicode.IsControl) >= 0 {
		return a, "名称含有无效字符：文件应为 UTF-8 编码，名称中不能有控制字符"
	}
	kind, ok := ParseKind(rec[2])
	if !ok {
		return a, fmt.Sprintf("类型 %q 无效", rec[2])
	}
	a.Kind = kind
	if a.ParentCode != "" && !codePattern.MatchString(a.ParentCode) {
		return a, fmt.Sprintf("上级代码 %q 无效", a.ParentCode)
	}
	if a.ParentCode == a.Code {
		return a, "上级代码不能是自身"
	}
	if rec[4] != "" {
		n, err := strconv.Atoi(rec[4])
		if err != nil || n < 0 || n > 10000000 {
			return a, fmt.Sprintf("户数 %q 无效：应为非负整数", rec[4])
		}
		a.Households = &n
	}
	switch strings.ToLower(rec[5]) {
	case "", "true", "1", "yes", "是":
		a.InScope = true
	case "false", "0", "no", "否":
		a.InScope = false
	default:
		return a, fmt.Sprintf("in_scope %q 无效：应为 true 或 false", rec[5])
	}
	return a, ""
}
