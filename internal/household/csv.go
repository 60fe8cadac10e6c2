package household

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"minyi/internal/csvfile"
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
// areas exist is for the store to check. It returns a *csvfile.ImportError listing
// every bad line, and then nothing may be imported.
func ParseCSV(file string, r io.Reader) ([]Row, error) {
	var rows []Row
	seen := map[[2]string]int{}
	format := csvfile.Format{Header: csvfile.Exactly(Header), MaxRows: MaxRows, TooMany: "一次最多导入 %d 行"}
	err := format.Read(file, r, func(line int, rec []string) []string {
		row, reason := parseRecord(rec)
		if reason != "" {
			return []string{reason}
		}
		k := [2]string{row.AreaCode, row.Key}
		if first, dup := seen[k]; dup {
			return []string{fmt.Sprintf("住户 %s 与第 %d 行重复", row.Key, first)}
		}
		seen[k] = line
		row.Line = line
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func parseRecord(rec []string) (Row, string) {
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
