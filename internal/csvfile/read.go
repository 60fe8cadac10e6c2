package csvfile

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Format describes one kind of CSV file.
type Format struct {
	// Header checks the first record (blank lines are skipped, a UTF-8 BOM is
	// removed) and returns why it is wrong, or "".
	Header func(rec []string) string
	// MaxRows bounds the records of the header's width read from one file, good or
	// bad; TooMany is the reason given on the line past it, a format with one %d for
	// MaxRows.
	MaxRows int
	TooMany string
}

// Exactly returns a header check that wants columns, in this order.
func Exactly(columns []string) func(rec []string) string {
	want := strings.Join(columns, ",")
	return func(rec []string) string {
		if strings.Join(rec, ",") != want {
			return "表头应为 " + want
		}
		return ""
	}
}

// NotUTF8 is the reason given for a file that is not UTF-8: most often a CSV saved by
// Excel, which writes GBK unless told otherwise.
const NotUTF8 = "文件不是 UTF-8 编码（Excel 默认保存的 CSV 为 GBK 编码）：请另存为 CSV UTF-8（逗号分隔）（*.csv）后重新上传"

// notUTF8 returns the index of the first field of rec that is not valid UTF-8, or -1.
func notUTF8(rec []string) int {
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return i
		}
	}
	return -1
}

// Read reads file from r (UTF-8, optional BOM; a file in another encoding is refused
// at its first line that is not UTF-8). Every record after the header must
// have as many fields as the header has; take then gets it, every field trimmed of
// surrounding space, with its line number and
// returns why it is wrong, nothing when the record is taken. Read goes on past a bad
// record so that every bad line is named, and stops at the first malformed CSV, a bad
// header or the record past MaxRows (bad records count). It returns an *ImportError listing every bad
// line (a file without a data line is bad too), or an error of r.
func (f Format) Read(file string, r io.Reader, take func(line int, rec []string) []string) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	errs := &ImportError{}
	columns, records := -1, 0 // columns < 0 until the header is read
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			errs.Add(file, max(perr.Line, 1), "CSV 格式错误: %v", perr.Err)
			break
		} else if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0) // only valid after a successful Read
		if i := notUTF8(rec); i >= 0 {
			at, _ := cr.FieldPos(i)
			errs.Add(file, at, "%s", NotUTF8)
			break
		}
		if columns < 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if reason := f.Header(rec); reason != "" {
				errs.Add(file, line, "%s", reason)
				break
			}
			columns = len(rec)
			continue
		}
		if len(rec) != columns {
			errs.Add(file, line, "应有 %d 列，实际 %d 列", columns, len(rec))
			continue
		}
		if records >= f.MaxRows {
			errs.Add(file, line, f.TooMany, f.MaxRows)
			break
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		records++
		for _, reason := range take(line, rec) {
			errs.Add(file, line, "%s", reason)
		}
	}
	if records == 0 && errs.Total == 0 {
		errs.Add(file, 1, "文件中没有数据行")
	}
	return errs.Err()
}
