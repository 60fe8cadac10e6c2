package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/internal/testenv"
)

// TestHouseholdCommand imports household lists from the command line: all lines or
// none, each error with its line.
func TestHouseholdCommand(t *testing.T) {
	t.Setenv("DATABASE_URL", testenv.DatabaseURL(t))
	t.Setenv("MINYI_SECRET", strings.Repeat("ab", 32))
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	head := "area_code,building,unit,room,key\n"
	bad := write("bad.csv", head+"990100001001,1,1,101,\n990100001001,,,,\nnope,1,1,1,\n")
	unknown := write("unknown.csv", head+"990100001001,1,1,101,\nnope,1,1,1,\n")
	good := write("good.csv", head+"990100001001,1,1,101,\n990100001001,1,1,102,\n990100001002,,,,东区12号\n")
	for _, tc := range []struct {
		args    []string
		want    string
		wantErr string
	}{
		{args: []string{"demo", "setup"}, want: "areas: 19 created"},
		{args: []string{"household", "import", bad}, wantErr: "bad.csv:3: 请填写楼栋、单元、房号"},
		{args: []string{"household", "import", unknown}, wantErr: "unknown.csv:3: 区域代码 nope 不存在"},
		{args: []string{"household", "import", good}, want: "3 households created, 0 updated"},
		{args: []string{"household", "import", good}, want: "0 households created, 3 updated"},
		{args: []string{"household", "list"}, wantErr: "usage: minyi household import"},
	} {
		var out bytes.Buffer
		err := run(tc.args, strings.NewReader(""), &out)
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
