package surveyfile

import (
	"regexp"
	"strconv"

	"github.com/goccy/go-yaml/ast"
)

// pathStep matches one step of a survey.Problem path: ".name" or "[index]".
var pathStep = regexp.MustCompile(`\.([^.\[\]]+)|\[(\d+)\]`)

// lineOf returns the line that path (e.g. $.questions[3].options[1].id) points to in f.
// A path ending in a mapping key points at the line of the key. When a step cannot be
// resolved (the field is absent, the index is out of range, or the value is an alias) it
// returns the line of the nearest parent that can; the document's first line when none
// can. It returns 0 only when f is nil.
func lineOf(f *ast.File, path string) int {
	if f == nil {
		return 0
	}
	line := 1
	var node ast.Node
	if len(f.Docs) > 0 {
		node = f.Docs[0].Body
		if l := nodeLine(node); l > 0 {
			line = l
		}
	}
	for _, m := range pathStep.FindAllStringSubmatch(path, -1) {
		node = unwrap(node)
		var next ast.Node
		l := 0
		if m[1] != "" {
			next, l = child(node, m[1])
		} else {
			next, l = element(node, m[2])
		}
		if next == nil && l == 0 {
			break
		}
		node, line = next, l
	}
	return line
}

// child finds key in a mapping node and returns its value and the key's line.
func child(node ast.Node, key string) (ast.Node, int) {
	var values []*ast.MappingValueNode
	switch n := node.(type) {
	case *ast.MappingNode:
		values = n.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{n}
	}
	for _, mv := range values {
		if keyString(mv.Key) == key {
			line := nodeLine(mv.Key)
			if line == 0 {
				line = nodeLine(mv.Value)
			}
			return mv.Value, line
		}
	}
	return nil, 0
}

// element returns the index-th element of a sequence node and its line.
func element(node ast.Node, index string) (ast.Node, int) {
	seq, ok := node.(*ast.SequenceNode)
	if !ok {
		return nil, 0
	}
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= len(seq.Values) {
		return nil, 0
	}
	return seq.Values[i], nodeLine(seq.Values[i])
}

func keyString(k ast.MapKeyNode) string {
	switch n := unwrap(k).(type) {
	case *ast.StringNode:
		return n.Value
	case nil:
		return ""
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// unwrap looks through anchors and tags to the node they decorate.
func unwrap(node ast.Node) ast.Node {
	for {
		switch n := node.(type) {
		case *ast.AnchorNode:
			node = n.Value
		case *ast.TagNode:
			node = n.Value
		default:
			return node
		}
	}
}

func nodeLine(node ast.Node) int {
	if node == nil {
		return 0
	}
	if tk := node.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}
