package main

import "testing"

// TestHouseholdCommand imports household lists from the command line: all lines or
// none, each error with its line.
func TestHouseholdCommand(t *testing.T) {
	_, write := commandEnv(t)
	head := "area_code,building,unit,room,key\n"
	bad := write("bad.csv", head+"990100001001,1,1,101,\n990100001001,,,,\nnope,1,1,1,\n")
	unknown := write("unknown.csv", head+"990100001001,1,1,101,\nnope,1,1,1,\n")
	good := write("good.csv", head+"990100001001,1,1,101,\n990100001001,1,1,102,\n990100001002,,,,东区12号\n")
	runCommands(t, []invocation{
		{args: []string{"demo", "setup"}, want: "areas: 19 created"},
		{args: []string{"household", "import", bad}, wantErr: "bad.csv:3: 请填写楼栋、单元、房号"},
		{args: []string{"household", "import", unknown}, wantErr: "unknown.csv:3: 区域代码 nope 不存在"},
		{args: []string{"household", "import", good}, want: "3 households created, 0 updated"},
		{args: []string{"household", "import", good}, want: "0 households created, 3 updated"},
		{args: []string{"household", "list"}, wantErr: "usage: minyi household import"},
	})
}
