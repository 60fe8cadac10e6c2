package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/internal/testenv"
)

// invocation is one run of minyi and what it must print or fail with.
type invocation struct {
	args    []string
	in      string // standard input
	want    string // in the output
	wantErr string // in the error; "" for success
}

// commandEnv points minyi at a fresh test database and returns a temporary folder
// and a function that writes a file into it and returns its path.
func commandEnv(t *testing.T) (dir string, write func(name, body string) string) {
	t.Helper()
	t.Setenv("DATABASE_URL", testenv.DatabaseURL(t))
	t.Setenv("MINYI_SECRET", testenv.Secret)
	dir = t.TempDir()
	return dir, func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// runCommands runs the commands in order, as an operator would type them.
func runCommands(t *testing.T, invocations []invocation) {
	t.Helper()
	for _, tc := range invocations {
		var out bytes.Buffer
		err := run(tc.args, strings.NewReader(tc.in), &out)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("minyi %s: got error %v, want output with %q", strings.Join(tc.args, " "), err, tc.want)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("minyi %s: got error %v, want one with %q", strings.Join(tc.args, " "), err, tc.wantErr)
		case !strings.Contains(out.String(), tc.want):
			t.Errorf("minyi %s: got output %q, want %q in it", strings.Join(tc.args, " "), out.String(), tc.want)
		}
	}
}
