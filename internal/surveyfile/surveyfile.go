// Package surveyfile reads survey definitions from YAML, reporting errors with file and line.
package surveyfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"minyi/internal/survey"
)

// MaxSize is the largest survey file accepted, in bytes.
const MaxSize = 1 << 20

// Problem is one defect of a survey file. Line is 1-based; 0 when the problem concerns
// the file as a whole.
type Problem struct {
	File   string
	Line   int
	Reason string
}

func (p Problem) String() string {
	if p.Line <= 0 {
		return p.File + ": " + p.Reason
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
}

// Error lists every problem found in a survey file.
type Error struct {
	Problems []Problem
}

// Error prints one "file:line: reason" per problem, separated by newlines.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Parse decodes a survey definition from YAML and validates it. Unknown fields, syntax
// and type errors and every problem reported by survey.Definition.Validate come back as
// an *Error whose problems carry the line in file (the name used in messages).
func Parse(file string, data []byte) (*survey.Definition, error) {
	if len(data) > MaxSize {
		return nil, &Error{Problems: []Problem{{File: file, Line: bytes.Count(data[:MaxSize], []byte("\n")) + 1,
			Reason: fmt.Sprintf("文件超过 %d 字节（1 MiB）的上限，从这一行起超出", MaxSize)}}}
	}
	if p, ok := guard(file, data); ok {
		return nil, &Error{Problems: []Problem{p}}
	}
	var def survey.Definition
	if err := yaml.UnmarshalWithOptions(data, &def, yaml.DisallowUnknownField()); err != nil {
		return nil, &Error{Problems: []Problem{decodeProblem(file, err)}}
	}
	err := def.Validate()
	var derr *survey.DefinitionError
	if errors.As(err, &derr) {
		return nil, &Error{Problems: locate(file, data, derr.Problems)}
	}
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: file, Reason: err.Error()}}}
	}
	return &def, nil
}

// Load reads name from fsys and parses it as Parse does, naming the file name in errors.
func Load(fsys fs.FS, name string) (*survey.Definition, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return Parse(name, data)
}

// decodeProblem turns a goccy decoding error into a problem at the offending token.
func decodeProblem(file string, err error) Problem {
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		p := Problem{File: file, Reason: yerr.GetMessage()}
		if tk := yerr.GetToken(); tk != nil && tk.Position != nil {
			p.Line = tk.Position.Line
		}
		return p
	}
	return Problem{File: file, Reason: err.Error()}
}

// MaxProblems is the most validation problems reported for one file; a longer list is
// cut and ends with a count of the rest.
const MaxProblems = 50

// locate maps each validation problem's path to a line of the YAML source.
func locate(file string, data []byte, problems []survey.Problem) []Problem {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		f = nil // decoding succeeded, so this should not happen; report without lines
	}
	out := make([]Problem, 0, min(len(problems), MaxProblems+1))
	for _, p := range problems[:min(len(problems), MaxProblems)] {
		out = append(out, Problem{File: file, Line: lineOf(f, p.Path), Reason: reason(p)})
	}
	if n := len(problems) - MaxProblems; n > 0 {
		out = append(out, Problem{File: file, Reason: fmt.Sprintf("and %d more problems", n)})
	}
	return out
}

// reason prefixes the message with the path's field, e.g. "questions[3].options[1].id: ...".
func reason(p survey.Problem) string {
	path := strings.TrimPrefix(strings.TrimPrefix(p.Path, "$"), ".")
	if path == "" {
		return p.Message
	}
	return path + ": " + p.Message
}
