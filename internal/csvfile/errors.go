// Package csvfile reads uploaded CSV files all or nothing: every bad line is counted
// and the first ones reported with their file and line number, and a file with any bad
// line yields nothing.
package csvfile

import (
	"fmt"
	"strings"
)

// MaxReported is how many rejected lines an ImportError lists; it counts them all.
// A file of a million bad lines must not make a reply, or a page, of millions.
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

// ImportError lists the first MaxReported rejected lines and counts them all in Total;
// when it is returned nothing was imported.
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

// Add records that line of file is rejected, for the reason format describes. Past
// MaxReported lines it only counts.
func (e *ImportError) Add(file string, line int, format string, args ...any) {
	e.Total++
	if len(e.Lines) >= MaxReported {
		return
	}
	reason := fmt.Sprintf(format, args...)
	if r := []rune(reason); len(r) > maxReason {
		reason = string(r[:maxReason]) + "…"
	}
	e.Lines = append(e.Lines, LineError{File: file, Line: line, Reason: reason})
}

// Err returns e when it counts a rejected line, and nil otherwise.
func (e *ImportError) Err() error {
	if e.Total == 0 {
		return nil
	}
	return e
}
