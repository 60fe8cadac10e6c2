package household

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"minyi/internal/area"
)

// Row is one line of a household CSV file.
type Row struct {
	Line     int
	AreaCode string
	Household
}

// Header is the exact first line of a household CSV file. key may be left empty when
// building, unit or room are given: it is then made from them (see Compose).
var Header = []string{"area_code", "building", "unit", "room", "key"}

// MaxRows bounds one import.
const MaxRows = 100000

// maxPart is the most characters of a building, unit or room.
const maxPart = 32

// ParseCSV reads a household CSV file (UTF-8, optional BOM, header line as Header).
// It checks each line on its own and that no household is listed twice; whether the
// areas exist is for the store to check. It returns an *area.ImportError listing
// every bad line, and then nothing may be imported.
func ParseCSV(file string, r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	errs := &area.ImportError{}
	fail := func(line int, format string, args ...any) {
		errs.Lines = append(errs.Lines, area.LineError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
	var rows []Row
	seen := map[[2]string]int{}
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			fail(max(perr.Line, 1), "CSV 格式错误: %v", perr.Err)
			break
		} else if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if strings.Join(rec, ",") != strings.Join(Header, ",") {
				fail(line, "表头应为 %s", strings.Join(Header, ","))
				break
			}
			continue
		}
		if len(rows) >= MaxRows {
			fail(line, "一次最多导入 %d 行", MaxRows)
			break
		}
		if len(rec) != len(Header) {
			fail(line, "应有 %d 列，实际 %d 列", len(Header), len(rec))
			continue
		}
		row, reason := parseRecord(rec)
		if reason != "" {
			fail(line, "%s", reason)
			continue
		}
		k := [2]string{row.AreaCode, row.Key}
		if first, dup := seen[k]; dup {
			fail(line, "住户 %s 与第 %d 行重复", row.Key, first)
			continue
		}
		seen[k] = line
		row.Line = line
		rows = append(rows, row)
	}
	if len(errs.Lines) == 0 && len(rows) == 0 {
		fail(1, "文件中没有数据行")
	}
	if len(errs.Lines) > 0 {
		return nil, errs
	}
	return rows, nil
}

func parseRecord(rec []string) (Row, string) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	row := Row{AreaCode: rec[0], Household: Household{Building: rec[1], Unit: rec[2], Room: rec[3]}}
	if row.AreaCode == "" || len(row.AreaCode) > 32 {
		return row, fmt.Sprintf("区域代码 %q 无效", row.AreaCode)
	}
	for _, p := range []struct{ name, v string }{{"楼栋", row.Building}, {"单元", row.Unit}, {"房号", row.Room}} {
		if utf8.RuneCountInString(p.v) > maxPart || !utf8.ValidString(p.v) || strings.IndexFunc(p.v, unicode.IsControl) >= 0 {
			return row, fmt.Sprintf("%s %q 无效：最多 %d 个字，不能含有控制字符", p.name, p.v, maxPart)
		}
	}
	raw := rec[4]
	if raw == "" {
		raw = Compose(row.Building, row.Unit, row.Room)
	}
	if raw == "" {
		return row, "请填写楼栋、单元、房号，或填写住户编号 key"
	}
	k, err := Key(raw)
	if err != nil {
		return row, fmt.Sprintf("住户编号 %q 无效：%v", raw, err)
	}
	row.Key = k
	return row, ""
}
