// Package csvfile reads uploaded CSV files all or nothing: every bad line is reported
// with its file and line number, and a file with any bad line yields nothing.
package csvfile

import (
	"fmt"
	"strings"
)

// LineError is one rejected line of an input file.
type LineError struct {
	File   string
	Line   int
	Reason string
}

func (e LineError) String() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// ImportError lists every rejected line; when it is returned nothing was imported.
type ImportError struct {
	Lines []LineError
}

func (e *ImportError) Error() string {
	s := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		s[i] = l.String()
	}
	return strings.Join(s, "\n")
}

// Add records that line of file is rejected, for the reason format describes.
func (e *ImportError) Add(file string, line int, format string, args ...any) {
	e.Lines = append(e.Lines, LineError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
}

// Err returns e when it lists a rejected line, and nil otherwise.
func (e *ImportError) Err() error {
	if len(e.Lines) == 0 {
		return nil
	}
	return e
}
