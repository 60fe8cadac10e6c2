package web

import (
	"net/url"
	"strings"
	"testing"

	"minyi/internal/account"
)

// TestHouseholdImport imports household lists: every error with its line, nothing
// stored on error, the official's jurisdiction honoured, re-imports updating.
func TestHouseholdImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	offA := newToken(t, e.store, "offa", account.Official, street1)
	head := "area_code,building,unit,room,key\n"
	for _, tc := range []struct {
		name   string
		by     []string
		file   string
		status int
		lines  []string
		stored int
	}{
		{"bad lines", e.auth(), head + community1 + ",1,1,101,\n" + community1 + ",,,,\n" + "nope,1,1,1,\n" + community1 + ",1,1,101,\n",
			422, []string{"upload.csv:3: 请填写楼栋、单元、房号，或填写住户编号 key", "upload.csv:5: 住户 1-1-101 与第 2 行重复"}, 0},
		{"unknown area", e.auth(), head + community1 + ",1,1,101,\nnope,1,1,1,\n",
			422, []string{"upload.csv:3: 区域代码 nope 不存在"}, 0},
		{"outside the jurisdiction", bearer(offA), head + community1 + ",1,1,101,\n" + community3 + ",1,1,101,\n",
			422, []string{"upload.csv:3: 区域代码 " + community3 + " 不存在或不在您的管辖范围内"}, 0},
		{"bad header", e.auth(), "code,name\n", 422, []string{"upload.csv:1: 表头应为 area_code,building,unit,room,key"}, 0},
		{"good", bearer(offA), head + community1 + ",1,1,101,\n" + community1 + ",1,1,102,\n" + community2 + ",,,,东区12号\n", 200, nil, 3},
		{"again, one moved", bearer(offA), head + community1 + ",1,1,101,A\n" + community1 + ",1,1,102,\n", 200, nil, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(tc.file), false, tc.by...)
			if res.StatusCode != tc.status {
				t.Fatalf("got %d %v, want %d", res.StatusCode, body, tc.status)
			}
			if tc.lines != nil {
				wantLines(t, body, tc.lines)
			}
			if got := e.count(`SELECT count(*) FROM households`); got != tc.stored {
				t.Errorf("households stored: got %d, want %d", got, tc.stored)
			}
		})
	}
	var list []map[string]any
	if st := e.getJSON("/api/v1/households?area="+community1, &list, bearer(offA)...); st != 200 || len(list) != 3 {
		t.Errorf("community1's households: got %d %v, want 3", st, list)
	}
	if st := e.getJSON("/api/v1/households?area="+community3, &list, bearer(offA)...); st != 404 {
		t.Errorf("street2's households for street1's official: got %d, want 404", st)
	}
	if got := e.count(`SELECT count(*) FROM audit_events WHERE action = 'household.import'`); got != 2 {
		t.Errorf("audited imports: got %d, want 2", got)
	}
}

func TestHouseholdsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "offa", account.Official, street1)
	c := e.signIn("offa")
	file := "area_code,building,unit,room,key\n" + community1 + ",3,2,501,\n" + community3 + ",1,1,1,\n"
	res, page := c.postFile("/households", c.csrfForm(nil), "file", "h.csv", []byte(file))
	if res.StatusCode != 422 || !strings.Contains(page, "h.csv:3: 区域代码 "+community3+" 不存在或不在您的管辖范围内") {
		t.Fatalf("bad file: got %d, want 422 naming line 3", res.StatusCode)
	}
	res, page = c.postFile("/households", c.csrfForm(nil), "file", "h.csv", []byte("area_code,building,unit,room,key\n"+community1+",3,2,501,\n"))
	if res.StatusCode != 200 || !strings.Contains(page, "导入完成：新增 1 户，更新 0 户") {
		t.Fatalf("good file: got %d, want the result", res.StatusCode)
	}
	res, page = c.get("/households?" + url.Values{"area": {community1}}.Encode())
	if res.StatusCode != 200 || !strings.Contains(page, "<td>3-2-501</td>") {
		t.Errorf("list: got %d, want 3-2-501 listed", res.StatusCode)
	}
}
