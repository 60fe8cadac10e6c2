package surveyfile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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
		// A hang would stall the fuzzer without a report: crash instead, so that the
		// input is saved.
		hung := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("Parse hung on %q", data)) })
		def, err := Parse("f.yaml", data)
		hung.Stop()
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

// TestParseHostile: files made to exhaust the YAML library are refused quickly, with a
// line, before they are decoded.
func TestParseHostile(t *testing.T) {
	laughs := "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i := 1; i <= 8; i++ {
		key := fmt.Sprintf("l%d", i)
		if i == 8 {
			key = "intro"
		}
		laughs += fmt.Sprintf("%s: &l%d [%s*l%d]\n", key, i, strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 8), i-1)
	}
	var nested strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&nested, "%sk%d:\n", strings.Repeat(" ", i), i)
	}
	for _, tc := range []struct {
		name, src, reason string
		line              int
	}{
		{"billion laughs", laughs, "values once aliases", 6},
		{"one alias used 3,000 times", "id: x\nquestions:\n  - id: q\n    options: &o [" +
			strings.Repeat("{id: a, text: b}, ", 99) + "{id: a, text: b}]\n" +
			strings.Repeat("  - {id: q, type: single, text: t, options: *o}\n", 3000), "values once aliases", 3},
		{"unclosed flow lists", "intro: " + strings.Repeat("[", 300000), "nested more than 20", 1},
		{"closed flow lists", "intro: " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000), "nested more than 20", 1},
		{"flow mappings", "intro:\n  " + strings.Repeat("{a: ", 30000), "nested more than 20", 2},
		{"block lists on one line", "questions:\n" + strings.Repeat("- ", 100000) + "x\n", "nested more than 20", 2},
		{"block mappings", nested.String(), "nested more than 20", 21},
		{"tag on a list", "id: x\nquestions: !foo 1\n", "YAML tags such as !foo", 2},
		{"tag in an option", "questions:\n  - options: !0000\n", "YAML tags such as !0000", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tc.src))
			var ferr *Error
			if !errors.As(err, &ferr) || len(ferr.Problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			if p := ferr.Problems[0]; p.Line != tc.line || !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("got %v, want f.yaml:%d: …%s…", p, tc.line, tc.reason)
			}
		})
	}
}

// TestParseOneDocument: a file of more than one YAML document is refused before the
// YAML library sees it, at the line of the second document.
func TestParseOneDocument(t *testing.T) {
	flood := strings.Repeat("a: 1\n---\n", MaxSize/len("a: 1\n---\n"))
	for _, tc := range []struct {
		name, src string
		line      int // 0: accepted by this check
	}{
		{"1 MiB of documents", flood, 2},
		{"a second document", minimal + "---\nid: other\n", strings.Count(minimal, "\n") + 1},
		{"two markers", "# c\n---\n--- \nid: x\n", 3},
		{"an end marker", minimal + "...\n", strings.Count(minimal, "\n") + 1},
		{"an end marker before more", "id: x\n... # end\nid: y\n", 2},
		{"CRLF", "id: x\r\n---\r\nid: y\r\n", 2},
		{"one marker at the top", "# comment\n%YAML 1.2\n---\n" + minimal, 0},
		{"dashes inside text", strings.Replace(minimal, "title: 演示问卷", "title: 演示---问卷\nintro: |\n  ---\n  ...", 1), 0},
		{"a longer rule", "----\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, refused := oneDocument("f.yaml", []byte(tc.src))
			if refused != (tc.line > 0) || p.Line != tc.line {
				t.Fatalf("got %v %v, want refused at line %d", refused, p, tc.line)
			}
			if !refused {
				return
			}
			_, err := Parse("f.yaml", []byte(tc.src))
			var ferr *Error
			if !errors.As(err, &ferr) || len(ferr.Problems) != 1 {
				t.Fatalf("Parse: got %v, want one problem", err)
			}
			if got := ferr.Problems[0]; got.Line != tc.line || !strings.Contains(got.Reason, "只能包含一个 YAML 文档") {
				t.Errorf("Parse: got %v, want f.yaml:%d: …只能包含一个 YAML 文档…", got, tc.line)
			}
		})
	}
	if _, err := Parse("ok.yaml", []byte("---\n"+minimal)); err != nil {
		t.Errorf("a file that starts with ---: got %v, want it accepted", err)
	}
}

// BenchmarkParseDocumentFlood measures how long the refusal of 1 MiB of documents takes.
func BenchmarkParseDocumentFlood(b *testing.B) {
	flood := []byte(strings.Repeat("a: 1\n---\n", MaxSize/len("a: 1\n---\n")))
	for b.Loop() {
		if _, err := Parse("f.yaml", flood); err == nil {
			b.Fatal("accepted")
		}
	}
}
