package csvfile

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// Format describes one kind of CSV file.
type Format struct {
	// Header checks the first record (blank lines are skipped, a UTF-8 BOM is
	// removed) and returns why it is wrong, or "".
	Header func(rec []string) string
	// MaxRows bounds the records taken from one file; TooMany is the reason given
	// on the line past it, a format with one %d for MaxRows.
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

// Read reads file from r (UTF-8, optional BOM). Every record after the header must
// have as many fields as the header has; take then gets it, every field trimmed of
// surrounding space, with its line number and
// returns why it is wrong, nothing when the record is taken. Read goes on past a bad
// record so that every bad line is named, and stops at the first malformed CSV, a bad
// header or the record past MaxRows. It returns an *ImportError listing every bad
// line (a file without a data line is bad too), or an error of r.
func (f Format) Read(file string, r io.Reader, take func(line int, rec []string) []string) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	errs := &ImportError{}
	columns, taken := -1, 0 // columns < 0 until the header is read
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
		if columns < 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if reason := f.Header(rec); reason != "" {
				errs.Add(file, line, "%s", reason)
				break
			}
			columns = len(rec)
			continue
		}
		if taken >= f.MaxRows {
			errs.Add(file, line, f.TooMany, f.MaxRows)
			break
		}
		if len(rec) != columns {
			errs.Add(file, line, "应有 %d 列，实际 %d 列", columns, len(rec))
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		reasons := take(line, rec)
		for _, reason := range reasons {
			errs.Add(file, line, "%s", reason)
		}
		if len(reasons) == 0 {
			taken++
		}
	}
	if errs.Total == 0 && taken == 0 {
		errs.Add(file, 1, "文件中没有数据行")
	}
	return errs.Err()
}
