// Package csvfile reads uploaded CSV files all or nothing: every bad line is counted
// and the first ones reported with their file and line number, and a file with any bad
// line yields nothing.
package csvfile

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// MaxReported is how many rejected lines an ImportError lists: those of the lowest
// line numbers; it counts them all. A file of a million bad lines must not make a
// reply, or a page, of millions.
const MaxReported = 100

// maxReason bounds the characters of one reason, which may quote a field of the file.
const maxReason = 200

// LineError is one rejected line of an input file.
type LineError struct {
	File   string
	Line   int
	Reason string
}

func (e LineError) String() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// ImportError lists the first MaxReported rejected lines, in the order of their line
// numbers, and counts them all in Total; when it is returned nothing was imported.
type ImportError struct {
	Lines []LineError
	Total int
}

func (e *ImportError) Error() string { return strings.Join(e.Report(), "\n") }

// Report is the listed lines as text, followed, when some are not listed, by a line
// that says how many there are in all.
func (e *ImportError) Report() []string {
	s := make([]string, len(e.Lines), len(e.Lines)+1)
	for i, l := range e.Lines {
		s[i] = l.String()
	}
	if e.Total > len(e.Lines) {
		s = append(s, Omitted(len(e.Lines), e.Total))
	}
	return s
}

// Omitted says that only the first listed of total errors are listed.
func Omitted(listed, total int) string {
	return fmt.Sprintf("……共 %d 处错误，仅列出前 %d 处", total, listed)
}

// Add records that line of file is rejected, for the reason format describes. Lines
// may be added in any order: the reasons of one line stay in the order they were
// added, and past MaxReported only the lowest line numbers are kept; all are counted.
func (e *ImportError) Add(file string, line int, format string, args ...any) {
	e.Total++
	if len(e.Lines) >= MaxReported && line >= e.Lines[len(e.Lines)-1].Line {
		return
	}
	reason := fmt.Sprintf(format, args...)
	if r := []rune(reason); len(r) > maxReason {
		reason = string(r[:maxReason]) + "…"
	}
	e.insert(LineError{File: file, Line: line, Reason: reason})
}

// Merge adds the lines of o, which may be nil, after those e has of the same line
// numbers, and counts all that o counts.
func (e *ImportError) Merge(o *ImportError) {
	if o == nil {
		return
	}
	e.Total += o.Total
	for _, l := range o.Lines {
		if len(e.Lines) < MaxReported || l.Line < e.Lines[len(e.Lines)-1].Line {
			e.insert(l)
		}
	}
}

// insert puts l after the listed lines of its line number or a lower one, and drops
// the last listed line past MaxReported.
func (e *ImportError) insert(l LineError) {
	at := sort.Search(len(e.Lines), func(i int) bool { return e.Lines[i].Line > l.Line })
	e.Lines = slices.Insert(e.Lines, at, l)
	if len(e.Lines) > MaxReported {
		e.Lines = e.Lines[:MaxReported]
	}
}

// Err returns e when it counts a rejected line, and nil otherwise.
func (e *ImportError) Err() error {
	if e.Total == 0 {
		return nil
	}
	return e
}
