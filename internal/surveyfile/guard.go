package surveyfile

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Bounds that keep a hostile file from exhausting the YAML library (goccy/go-yaml
// v1.19.2), whose parser needs memory quadratic in the nesting depth (a 100 KB file of
// "[[[[…" takes over 6 GB) and whose decoder copies an alias's value at every use (a
// 435-byte "billion laughs" file takes minutes).
const (
	// MaxDepth is how deeply collections may nest; a survey file needs 5 levels.
	MaxDepth = 20
	// MaxValues bounds the scalars and collections of a file once aliases are
	// expanded; 200 questions of 100 options and their indicators need about 150,000.
	MaxValues = 250_000
)

// guard finds what Parse refuses before decoding: more than one YAML document (see
// oneDocument), collections nested deeper than
// MaxDepth, more than MaxValues values once aliases are expanded, and YAML tags, which
// survey files need none of and which the decoder panics on where it expects a list
// (TagNode.ArrayRange returns nil). It returns the first such problem. Syntax errors
// are left for the decoder to report.
func guard(file string, data []byte) (Problem, bool) {
	if p, ok := oneDocument(file, data); ok {
		return p, true
	}
	// The lexer is linear: check flow nesting ([ {) and block nesting (the column
	// of "- " and "? ") on its tokens before the parser sees them.
	depth := 0
	for _, tk := range lexer.Tokenize(string(data)) {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
		case token.SequenceEndType, token.MappingEndType:
			depth = max(depth-1, 0)
		}
		deep := depth > MaxDepth
		if tk.Type == token.SequenceEntryType || tk.Type == token.MappingKeyType {
			deep = deep || tk.Position != nil && tk.Position.Column > 4*MaxDepth
		}
		if deep {
			line := 1
			if tk.Position != nil {
				line = max(tk.Position.Line, 1)
			}
			return Problem{File: file, Line: line, Reason: tooDeep}, true
		}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return Problem{}, false
	}
	w := walker{file: file, anchors: map[string]int{}}
	total := 0
	for _, doc := range f.Docs {
		total = min(total+w.size(doc.Body, 0), MaxValues+1)
		if w.problem == nil && total > MaxValues {
			w.fail(doc, tooMany)
		}
		if w.problem != nil {
			return *w.problem, true
		}
	}
	return Problem{}, false
}

var (
	tooDeep = fmt.Sprintf("lists and mappings are nested more than %d levels deep", MaxDepth)
	tooMany = fmt.Sprintf("the file has more than %d values once aliases (*name) are expanded", MaxValues)
)

// walker sizes an AST as the decoder will see it, with every alias expanded.
type walker struct {
	file    string
	anchors map[string]int // expanded size of each anchor defined so far
	problem *Problem
}

func (w *walker) fail(n ast.Node, reason string) {
	if w.problem == nil {
		w.problem = &Problem{File: w.file, Line: max(nodeLine(n), 1), Reason: reason}
	}
}

// size returns the number of values n stands for, at most MaxValues+1, and records
// the first problem found.
func (w *walker) size(n ast.Node, depth int) int {
	if w.problem != nil || n == nil {
		return 0
	}
	if depth > MaxDepth {
		w.fail(n, tooDeep)
		return 0
	}
	sum := func(parts ...int) int {
		s := 0
		for _, p := range parts {
			s = min(s+p, MaxValues+1)
		}
		if s > MaxValues {
			w.fail(n, tooMany)
		}
		return s
	}
	switch n := n.(type) {
	case *ast.TagNode:
		w.fail(n, fmt.Sprintf("YAML tags such as %s are not supported; quote the value instead", n.GetToken().Value))
		return 0
	case *ast.AnchorNode:
		s := w.size(n.Value, depth)
		if n.Name != nil && n.Name.GetToken() != nil {
			w.anchors[n.Name.GetToken().Value] = s
		}
		return s
	case *ast.AliasNode:
		s := 1
		if n.Value != nil && n.Value.GetToken() != nil {
			s = max(w.anchors[n.Value.GetToken().Value], 1)
		}
		return sum(s)
	case *ast.MappingKeyNode:
		return w.size(n.Value, depth)
	case *ast.MappingValueNode:
		return sum(1, w.size(n.Key, depth+1), w.size(n.Value, depth+1))
	case *ast.MappingNode:
		parts := []int{1}
		for _, mv := range n.Values {
			if mv != nil {
				parts = append(parts, w.size(mv.Key, depth+1), w.size(mv.Value, depth+1))
			}
		}
		return sum(parts...)
	case *ast.SequenceNode:
		parts := []int{1}
		for _, v := range n.Values {
			parts = append(parts, w.size(v, depth+1))
		}
		return sum(parts...)
	case *ast.CommentGroupNode:
		return 0
	}
	return 1
}

// oneDocument finds a second YAML document in data: a "---" marker after content or
// after another "---", or a "..." end marker. A survey file is one document, and the
// YAML library spends time quadratic in the number of documents (1 MiB of
// "a: 1\n---\n" takes half a minute of CPU), so this is decided first, by one linear
// pass over the lines: a marker at the start of a line always separates documents,
// even inside a quoted or block text.
func oneDocument(file string, data []byte) (Problem, bool) {
	started := false // a "---" or content has been seen
	for n := 1; len(data) > 0; n++ {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		switch {
		case marker(line, "---"):
			if started {
				return Problem{File: file, Line: n, Reason: "问卷文件只能包含一个 YAML 文档，请删除文档分隔符 ---"}, true
			}
			started = true
		case marker(line, "..."):
			return Problem{File: file, Line: n, Reason: "问卷文件只能包含一个 YAML 文档，请删除文档结束标记 ..."}, true
		default:
			t := bytes.TrimSpace(line)
			if len(t) > 0 && t[0] != '#' && t[0] != '%' {
				started = true
			}
		}
	}
	return Problem{}, false
}

// marker reports whether line is the document marker m, alone or followed by a
// space, a tab or a carriage return.
func marker(line []byte, m string) bool {
	return bytes.HasPrefix(line, []byte(m)) && (len(line) == len(m) || bytes.IndexByte([]byte(" \t\r"), line[len(m)]) >= 0)
}
