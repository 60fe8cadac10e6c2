package web

import (
	"os"
	"strings"
	"testing"

	"minyi/internal/stats"
)

// The bulletin's 说明 is the Chinese section of README.md, word for word.
func TestFigureNotesInReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, note := range figureNotes(stats.DefaultSmallSample) {
		if !strings.Contains(string(readme), note) {
			t.Errorf("note %d: got it missing from README.md, want %q", i+1, note)
		}
	}
}
