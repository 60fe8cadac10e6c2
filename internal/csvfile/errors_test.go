package csvfile

import (
	"fmt"
	"strings"
	"testing"
)

// TestImportErrorOrder adds lines out of order and merges two lists: the listed lines
// are those of the lowest numbers, in order, the reasons of one line in the order
// they came, and every line is counted.
func TestImportErrorOrder(t *testing.T) {
	for _, tc := range []struct {
		name       string
		add, merge []int // line numbers, each added with the reason "a<line>" or "m<line>"
		want       string
		total      int
	}{
		{"in order", []int{2, 3, 3}, nil, "2:a2 3:a3 3:a3", 3},
		{"out of order", []int{9, 2, 5, 2}, nil, "2:a2 2:a2 5:a5 9:a9", 4},
		{"merged after the same line", []int{4, 7}, []int{2, 4, 8}, "2:m2 4:a4 4:m4 7:a7 8:m8", 5},
		{"merge of nothing", []int{4}, nil, "4:a4", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &ImportError{}
			for _, l := range tc.add {
				e.Add("f", l, "a%d", l)
			}
			var o *ImportError
			if tc.merge != nil {
				o = &ImportError{}
				for _, l := range tc.merge {
					o.Add("f", l, "m%d", l)
				}
			}
			e.Merge(o)
			if got := listed(e); got != tc.want || e.Total != tc.total {
				t.Errorf("got %s (%d), want %s (%d)", got, e.Total, tc.want, tc.total)
			}
		})
	}
}

// TestImportErrorCapKeepsLowest adds 150 lines backwards and merges 150 more: the
// first MaxReported lines by number are listed, all 300 counted.
func TestImportErrorCapKeepsLowest(t *testing.T) {
	e, o := &ImportError{}, &ImportError{}
	for l := 300; l > 150; l-- {
		e.Add("f", l, "a%d", l)
	}
	for l := 1; l <= 150; l++ {
		o.Add("f", 2*l, "m%d", 2*l) // even lines 2 to 300
	}
	e.Merge(o)
	if e.Total != 300 || len(e.Lines) != MaxReported {
		t.Fatalf("got %d lines of %d, want %d of 300", len(e.Lines), e.Total, MaxReported)
	}
	// Lines 2, 4, …, 150 (75 of them), then from 151 on both lists, the merged ones of a
	// line after the added: 151:a, 152:a, 152:m, 153:a, …
	var want []string
	for l := 2; l <= 150; l += 2 {
		want = append(want, fmt.Sprintf("%d:m%d", l, l))
	}
	for l := 151; len(want) < MaxReported; l++ {
		want = append(want, fmt.Sprintf("%d:a%d", l, l))
		if l%2 == 0 && len(want) < MaxReported {
			want = append(want, fmt.Sprintf("%d:m%d", l, l))
		}
	}
	if got := listed(e); got != strings.Join(want, " ") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, " "))
	}
}

// listed is the line numbers and reasons e lists.
func listed(e *ImportError) string {
	s := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		s[i] = fmt.Sprintf("%d:%s", l.Line, l.Reason)
	}
	return strings.Join(s, " ")
}
