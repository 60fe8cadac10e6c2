package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommands runs the administration commands in order against one database, as an
// operator would after a fresh install.
func TestCommands(t *testing.T) {
	dir, write := commandEnv(t)
	brokenSurvey := write("broken.yaml", "id: s\ntitle: 问卷\nquestions:\n  - id: q1\n    type: single\n    text: 问题\n    options: [{id: a, text: 是}]\n")
	badAreas := write("bad.csv", "code,name,kind,parent_code,households,in_scope\nx1,新社区,community,990100001000,,true\nx2,坏社区,community,nope,,true\n")
	posters := filepath.Join(dir, "posters")
	runCommands(t, []invocation{
		{args: []string{"demo", "setup"}, want: "areas: 19 created, 0 updated"},
		{args: []string{"demo", "setup"}, want: "areas: 0 created, 0 updated"},
		{args: []string{"demo", "setup"}, in: "demo-password\n", want: "demo volunteer zhiyuan1 assigned to 望江社区 for a year"},
		{args: []string{"survey", "import", brokenSurvey}, wantErr: brokenSurvey + ":7: "},
		{args: []string{"area", "import", badAreas}, wantErr: badAreas + ":3: 上级代码 nope 不存在"},
		{args: []string{"qr", "--survey", "chuangwen", "--area", "x1", "--out", posters}, wantErr: `area "x1" not found`},
		{args: []string{"round", "open", "--survey", "chuangwen"}, wantErr: "already has an open round"},
		{args: []string{"round", "close", "--survey", "chuangwen"}, want: "closed"},
		{args: []string{"round", "close", "--survey", "chuangwen"}, wantErr: "has no open round"},
		{args: []string{"round", "open", "--survey", "chuangwen", "--name", "12月第1轮"}, want: "(12月第1轮) open"},
		{args: []string{"demo", "responses", "--count"}, want: "0\n"},
		{args: []string{"demo", "responses", "--n", "300", "--seed", "3"}, want: "stored 300 demo responses (0 already there"},
		{args: []string{"recount"}, want: "counters rebuilt from the counted responses"},
		{args: []string{"recount", "now"}, wantErr: "usage: minyi recount"},
		{args: []string{"demo", "responses", "--count"}, want: "300\n"},
		{args: []string{"demo", "responses", "--n", "300", "--seed", "3"}, want: "stored 0 demo responses (300 already there"},
		{args: []string{"demo", "responses"}, wantErr: "usage: minyi demo setup"},
		{args: []string{"demo", "responses", "--n", "5", "--count"}, wantErr: "usage: minyi demo setup"},
		{args: []string{"demo", "clear"}, want: "removed 300 demo responses and 0 demo rounds"},
		{args: []string{"demo", "responses", "--count"}, want: "0\n"},
		{args: []string{"round", "open", "--survey", "nope"}, wantErr: "unknown survey nope"},
		{args: []string{"token", "create", "--user", "jd1", "--name", "dashboard"}, wantErr: "no user jd1"},
		{args: []string{"user", "create", "--username", "jd1", "--role", "official"}, in: "secret-password\n", wantErr: "必须指定所辖区域"},
		{args: []string{"user", "create", "--username", "jd1", "--role", "official", "--area", "nope"}, in: "secret-password\n", wantErr: "unknown area nope"},
		{args: []string{"user", "create", "--username", "jd1", "--role", "official", "--area", "990100001000"}, in: "short\n", wantErr: "密码至少 8 位"},
		{args: []string{"user", "create", "--username", "jd1", "--role", "official", "--area", "990100001000"}, in: "secret-password\n", want: "user jd1 created (official of 990100001000)"},
		{args: []string{"user", "create", "--username", "jd1", "--role", "admin"}, in: "secret-password\n", wantErr: "already exists"},
		{args: []string{"user", "create", "--username", "x", "--role", "admin"}, in: "secret-password\n", wantErr: "用户名应为"},
		{args: []string{"user", "create", "--username", "boss", "--role", "chief"}, in: "secret-password\n", wantErr: "角色应为"},
		{args: []string{"token", "create", "--user", "jd1", "--name", "dashboard"}, want: "\nmyt_"},
		{args: []string{"user", "passwd", "--username", "jd1"}, in: "another-password\r\n", want: "password of jd1 changed"},
		{args: []string{"user", "disable", "--username", "jd1"}, want: "user jd1 disabled"},
		{args: []string{"token", "create", "--user", "jd1", "--name", "dashboard"}, wantErr: "user jd1 is disabled"},
		{args: []string{"user", "disable", "--username", "ghost"}, wantErr: "no user ghost"},
		{args: []string{"user", "list"}, want: "jd1                  official   990100001000 (disabled)"},
		{args: []string{"qr", "--survey", "chuangwen", "--area", "990100001000", "--out", posters}, want: "990100001005"},
		{args: []string{"nope"}, wantErr: "usage: minyi COMMAND"},
	})
	files, _ := filepath.Glob(filepath.Join(posters, "*.png"))
	if len(files) != 5 {
		t.Errorf("QR files for 临江街道: got %d, want its 5 communities", len(files))
	}
	// Every change made from the command line is in the audit log, as "cli".
	var out bytes.Buffer
	if err := run([]string{"audit"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"area.import", "survey.import", "round.close", "round.open", "user.create",
		"token.create", "user.passwd", "user.disable"} {
		if !strings.Contains(out.String(), " cli "+want+" ") {
			t.Errorf("audit log lacks a cli %s event:\n%s", want, out.String())
		}
	}
}
