package surveyfile

import (
	"errors"
	"fmt"
	"time"
	"strings"
	"testing"

	"minyi/surveys"
)

// FuzzParse feeds arbitrary bytes to Parse. It must never panic; every problem it
// reports names a line, except the size error and the "and N more problems" trailer,
// which concern the file as a whole; a definition it returns validates.
// Seeds are in testdata/fuzz/FuzzParse; run with
// go test -run '^$' -fuzz FuzzParse ./internal/surveyfile.
func FuzzParse(f *testing.F) {
	shipped, err := surveys.FS.ReadFile(surveys.Default)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped)
	for _, s := range []string{
		"",
		"id: x\ntitle: t\nquestions:\n  - {id: q1, type: text, text: 说点什么}\n",
		"id: x\ntitle: [a\n",
		"id: x\n\ttitle: tab\n",
		"questions: &q [*q]\n",
		"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
		"id: x\ntitle: t\nquestions:\n  - id: q1\n    type: single\n    text: t\n    options: [{id: a, text: A}, {id: a, text: B}]\n",
		"id: x\ntitle: t\nquestions:\n  - id: q1\n    type: single\n    text: t\n    options: [{id: a, text: A}, {id: b, text: B}]\n    show_if: {question: q1, in: [a]}\nindicators:\n  - {id: i, name: n, kind: fame, question: q1, positive: [a], excluded: [a]}\n",
		"--- !!map\nid: !!str x\n...\n---\nid: y\n",
		"id: \"\\0\"\ntitle: \"\\x00\"\n",
		"version: 99999999999999999999\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(3*time.Second, func() { panic(fmt.Sprintf("HANG %q", data)) })
		def, err := Parse("f.yaml", data)
		tm.Stop()
		if err == nil {
			if def == nil {
				t.Fatal("got nil definition and nil error")
			}
			if err := def.Validate(); err != nil {
				t.Fatalf("returned definition does not validate: %v", err)
			}
			return
		}
		if def != nil {
			t.Fatalf("got a definition and error %v", err)
		}
		var ferr *Error
		if !errors.As(err, &ferr) {
			t.Fatalf("got %T %v, want *surveyfile.Error", err, err)
		}
		if len(ferr.Problems) == 0 {
			t.Fatal("got an *Error without problems")
		}
		for i, p := range ferr.Problems {
			last := i == len(ferr.Problems)-1
			switch {
			case p.File != "f.yaml":
				t.Errorf("problem %d: got file %q, want f.yaml", i, p.File)
			case p.Reason == "":
				t.Errorf("problem %d: got an empty reason", i)
			case p.Line >= 1:
			case len(data) > MaxSize && strings.Contains(p.Reason, "1 MiB"):
			case last && i == MaxProblems && strings.HasSuffix(p.Reason, "more problems"):
			default:
				t.Errorf("problem %d: got %v, want a line ≥ 1", i, p)
			}
		}
	})
}
