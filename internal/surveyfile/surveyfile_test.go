package surveyfile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// minimal is a valid survey file; each test case edits one line of it, so that the line
// numbers below can be read off this text.
const minimal = `id: demo
title: 演示问卷
questions:
  - id: q1
    type: single
    text: 您知道我市正在创建全国文明城市吗?
    required: true
    options:
      - {id: know, text: 知道}
      - {id: dont_know, text: 不知道}
  - id: q2
    type: text
    text: 联系电话
    format: phone
    show_if: {question: q1, in: [know]}
indicators:
  - id: awareness
    name: 知晓率
    kind: awareness
    question: q1
    positive: [know]
`

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string // edit applied to minimal
		want     []Problem
	}{
		{name: "valid minimal file"},
		{
			name: "unknown field",
			old:  "    required: true\n", new: "    required: true\n    colour: red\n",
			want: []Problem{{Line: 8, Reason: `unknown field "colour"`}},
		},
		{
			name: "wrong type: string for bool",
			old:  "required: true", new: "required: maybe",
			want: []Problem{{Line: 7, Reason: "cannot unmarshal string"}},
		},
		{
			name: "wrong type: list for string",
			old:  "title: 演示问卷", new: "title: [a, b]",
			want: []Problem{{Line: 2, Reason: "cannot unmarshal"}},
		},
		{
			name: "syntax error",
			old:  "title: 演示问卷", new: `title: "演示问卷`,
			want: []Problem{{Line: 2, Reason: "could not find end character of double-quoted text"}},
		},
		{
			name: "duplicate key",
			old:  "title: 演示问卷\n", new: "title: 演示问卷\ntitle: 又一个\n",
			want: []Problem{{Line: 3, Reason: `"title" already defined`}},
		},
		{
			name: "duplicate question id",
			old:  "  - id: q2", new: "  - id: q1",
			want: []Problem{{Line: 11, Reason: `questions[1].id: question id "q1" is used twice`}},
		},
		{
			name: "indicator on unknown question",
			old:  "question: q1\n    positive", new: "question: q9\n    positive",
			want: []Problem{{Line: 20, Reason: `indicators[0].question: unknown question "q9"`}},
		},
		{
			name: "indicator on unknown option",
			old:  "positive: [know]", new: "positive: [know, maybe]",
			want: []Problem{{Line: 21, Reason: `indicators[0].positive[1]: question q1 has no option "maybe"`}},
		},
		{
			name: "indicator on unknown option, block list",
			old:  "positive: [know]", new: "positive:\n      - know\n      - maybe",
			want: []Problem{{Line: 23, Reason: `question q1 has no option "maybe"`}},
		},
		{
			name: "show_if on later question",
			old:  "    required: true\n", new: "    required: true\n    show_if: {question: q2, in: [x]}\n",
			want: []Problem{{Line: 8, Reason: `questions[0].show_if.question: show_if must name an earlier question, not "q2"`}},
		},
		{
			name: "show_if on unknown option",
			old:  "in: [know]", new: "in: [know, sure]",
			want: []Problem{{Line: 15, Reason: `questions[1].show_if.in[1]: question q1 has no option "sure"`}},
		},
		{
			name: "missing field falls back to its parent",
			old:  "    text: 联系电话\n", new: "",
			want: []Problem{{Line: 11, Reason: "questions[1].text: question text is required"}},
		},
		{
			name: "every problem is reported",
			old:  "      - {id: dont_know, text: 不知道}\n", new: "      - {id: Know, text: ''}\n",
			want: []Problem{
				{Line: 10, Reason: `questions[0].options[1].id: option id "Know" must be`},
				{Line: 10, Reason: "questions[0].options[1].text: option text is required"},
			},
		},
		{
			name: "empty file",
			old:  minimal, new: "",
			want: []Problem{
				{Line: 1, Reason: "id: id must be"},
				{Line: 1, Reason: "title: title is required"},
				{Line: 1, Reason: "questions: at least one question is required"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimal, tc.old, tc.new, 1)
			if src == minimal && tc.old != "" {
				t.Fatalf("edit %q does not apply", tc.old)
			}
			def, err := Parse("demo.yaml", []byte(src))
			if tc.want == nil {
				if err != nil || def == nil {
					t.Fatalf("got %v, want a definition", err)
				}
				return
			}
			var ferr *Error
			if !errors.As(err, &ferr) {
				t.Fatalf("got %v, want *surveyfile.Error", err)
			}
			if len(ferr.Problems) != len(tc.want) {
				t.Fatalf("got %v, want %d problems", err, len(tc.want))
			}
			for i, got := range ferr.Problems {
				want := tc.want[i]
				if got.File != "demo.yaml" || got.Line != want.Line || !strings.Contains(got.Reason, want.Reason) {
					t.Errorf("got %v, want demo.yaml:%d: …%s…", got, want.Line, want.Reason)
				}
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	err := &Error{Problems: []Problem{
		{File: "a.yaml", Line: 3, Reason: "first"},
		{File: "a.yaml", Line: 7, Reason: "second"},
		{File: "a.yaml", Reason: "whole file"},
	}}
	if got, want := err.Error(), "a.yaml:3: first\na.yaml:7: second\na.yaml: whole file"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSizeLimit(t *testing.T) {
	big := minimal + "# " + strings.Repeat("x", MaxSize) + "\n"
	for _, tc := range []struct {
		name string
		load func() error
	}{
		{"Parse", func() error { _, err := Parse("big.yaml", []byte(big)); return err }},
		{"Load", func() error {
			_, err := Load(fstest.MapFS{"big.yaml": {Data: []byte(big)}}, "big.yaml")
			return err
		}},
	} {
		err := tc.load()
		var ferr *Error
		if !errors.As(err, &ferr) || !strings.Contains(err.Error(), fmt.Sprintf("big.yaml:%d: 文件超过", strings.Count(minimal, "\n")+1)) || !strings.Contains(err.Error(), "1 MiB") {
			t.Errorf("%s: got %v, want a size error for big.yaml", tc.name, err)
		}
	}
}

func TestTooManyProblems(t *testing.T) {
	src := strings.Replace(minimal, "      - {id: dont_know, text: 不知道}\n",
		strings.Repeat("      - {id: know, text: 知道}\n", MaxProblems+9), 1)
	_, err := Parse("many.yaml", []byte(src))
	var ferr *Error
	if !errors.As(err, &ferr) {
		t.Fatalf("got %v, want *surveyfile.Error", err)
	}
	last := ferr.Problems[len(ferr.Problems)-1]
	if got, want := len(ferr.Problems), MaxProblems+1; got != want {
		t.Errorf("got %v problems, want %v", got, want)
	}
	if got, want := last.String(), "many.yaml: and 9 more problems"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.yaml":  {Data: []byte(minimal)},
		"bad.yaml": {Data: []byte(strings.Replace(minimal, "kind: awareness", "kind: fame", 1))},
	}
	for _, tc := range []struct {
		name, want string
	}{
		{"ok.yaml", ""},
		{"bad.yaml", `bad.yaml:19: indicators[0].kind: kind must be awareness, support, satisfaction, participation or topic, not "fame"`},
		{"missing.yaml", "file does not exist"},
	} {
		def, err := Load(fsys, tc.name)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if tc.want == "" && (err != nil || def.ID != "demo") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}
