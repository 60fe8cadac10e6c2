package area

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"minyi/internal/csvfile"
)

// FuzzParseCSV feeds arbitrary bytes to ParseCSV. It must never panic. A rejected file
// names a line ≥ 1 and a reason for every fault. An accepted file starts with the
// header, has unique codes and text PostgreSQL can store, and its rows either merge into
// an empty tree or fail only on references between lines (missing parents, cycles).
// Seeds are in testdata/fuzz/FuzzParseCSV; run with
// go test -run '^$' -fuzz FuzzParseCSV ./internal/area.
func FuzzParseCSV(f *testing.F) {
	head := strings.Join(Header, ",") + "\n"
	for _, s := range []string{
		"",
		head,
		head + "990100000000,江滨区,district,,,true\n990100001000,临江街道,street,990100000000,12,false\n",
		"\ufeff" + head + "1,市,市,,,是\n2,区,区,1,0,否\n",
		head + "1,a,city,2,,\n2,b,city,1,,\n",
		head + "1,a,city,9,,\n",
		head + "1,a,city,,,\n1,b,city,,,\n",
		head + "\"1\",\"a\nb\",city,,,\n",
		head + "1,a,city,,,\n\"2,b",
		head + "1,a\"b,city,,,\n",
		head + "1,a,city\n",
		head + "1,,city,,,\n1 ,a,nope,,-1,maybe\n",
		"\n" + head + "1,a,city,,,\n",
		"\n1,a,city,,,\n",
		"code,name\n",
		head + "1,a\x00b,city,,,\n2,\xff,city,,,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseCSV("f.csv", bytes.NewReader(data))
		if err != nil {
			checkImportError(t, err)
			return
		}
		if len(rows) == 0 {
			t.Fatal("got no rows and no error")
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		first, err := cr.Read()
		if err != nil || strings.TrimPrefix(strings.Join(first, ","), "\ufeff") != strings.Join(Header, ",") {
			t.Fatalf("accepted a file whose first record is %q, want the header", first)
		}
		codes := map[string]bool{}
		for _, r := range rows {
			a := r.Area
			if r.Line < 2 {
				t.Errorf("%s: got line %d, want ≥ 2", a.Code, r.Line)
			}
			if codes[a.Code] {
				t.Errorf("code %s accepted twice", a.Code)
			}
			codes[a.Code] = true
			for _, s := range []string{a.Code, a.Name, a.Kind, a.ParentCode} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Errorf("line %d: accepted %q, which PostgreSQL text cannot store", r.Line, s)
				}
			}
		}
		_, err = Merge("f.csv", nil, rows)
		if err == nil {
			return
		}
		checkImportError(t, err)
		var ierr *csvfile.ImportError
		errors.As(err, &ierr)
		for _, l := range ierr.Lines {
			if !strings.Contains(l.Reason, "不存在") && !strings.Contains(l.Reason, "循环") {
				t.Errorf("Merge: got %v, want only reference errors", l)
			}
		}
	})
}

// checkImportError checks that err is a *csvfile.ImportError whose every line has a number
// and a reason.
func checkImportError(t *testing.T, err error) {
	t.Helper()
	var ierr *csvfile.ImportError
	if !errors.As(err, &ierr) || len(ierr.Lines) == 0 {
		t.Fatalf("got %T %v, want a *csvfile.ImportError with lines", err, err)
	}
	if i := slices.IndexFunc(ierr.Lines, func(l csvfile.LineError) bool { return l.Line < 1 || l.Reason == "" || l.File != "f.csv" }); i >= 0 {
		t.Errorf("got %+v, want file f.csv, a line ≥ 1 and a reason", ierr.Lines[i])
	}
}
