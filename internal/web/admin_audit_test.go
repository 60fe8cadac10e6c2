package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/internal/store"
)

var (
	auditRowID  = regexp.MustCompile(`<tr data-id="(\d+)">`)
	auditNextRE = regexp.MustCompile(`<a href="([^"]*)" id="audit-next">`)
)

// auditNext is the link to older events, or "".
func auditNext(page string) string {
	m := auditNextRE.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

func TestAdminAudit(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC) // 10:00 in Asia/Shanghai
	for i := 0; i < 55; i++ {
		if err := e.store.Audit(ctx, store.AuditEvent{At: at.Add(time.Duration(i) * time.Minute), Username: "jd1",
			Action: "export.indicators", Scope: street1, Target: fmt.Sprintf("file-%02d", i), IP: "10.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.Audit(ctx, store.AuditEvent{At: at, Username: "admin", Action: "user.create", Target: "<script>x</script>",
		Detail: map[string]any{"role": "official"}, IP: "10.0.0.2"}); err != nil {
		t.Fatal(err)
	}
	rows := func(page string) int { return len(auditRowID.FindAllString(page, -1)) }
	res, page := e.admin.get("/admin/audit")
	if res.StatusCode != 200 {
		t.Fatalf("audit page: got %d, want 200", res.StatusCode)
	}
	// Sign-ins of the env's three users, 55 exports and a user creation: 59 events.
	if got := rows(page); got != 50 {
		t.Errorf("first page: got %d rows, want 50", got)
	}
	first := between(page, `<tr data-id=`, "</tr>")
	for _, want := range []string{"2026-03-01 10:00:00", "admin", "创建用户 <code>user.create</code>",
		"&lt;script&gt;x&lt;/script&gt;", `{&#34;role&#34;:&#34;official&#34;}`, "10.0.0.2"} {
		if !strings.Contains(first, want) {
			t.Errorf("newest row %q: missing %q", first, want)
		}
	}
	next := auditNext(page)
	if !strings.HasPrefix(next, "/admin/audit?before=") {
		t.Fatalf("first page: got next link %q, want one to older events", next)
	}
	_, older := e.admin.get(next)
	if got := rows(older); got != 9 || strings.Contains(older, `id="audit-next"`) || !strings.Contains(older, "回到最新") {
		t.Errorf("second page: got %d rows, want the last 9, no further link and a link back", got)
	}
	for _, tc := range []struct {
		query string
		rows  int
		want  string
	}{
		{"?action=export.", 50, "导出 <code>export.indicators</code>"},
		{"?action=user.create", 1, "创建用户"},
		{"?action=login", 3, "登录 <code>login</code>"},
		{"?user=jd1", 50, "file-54"},
		{"?user=jd1&action=user.", 0, "没有符合条件的记录"},
		{"?user=nobody", 0, "没有符合条件的记录"},
	} {
		res, page := e.admin.get("/admin/audit" + tc.query)
		if res.StatusCode != 200 || rows(page) != tc.rows || !strings.Contains(page, tc.want) {
			t.Errorf("GET /admin/audit%s: got %d with %d rows, want %d rows and %q", tc.query, res.StatusCode, rows(page), tc.rows, tc.want)
		}
	}
	_, page = e.admin.get("/admin/audit?user=jd1")
	if next := auditNext(page); !strings.Contains(next, "user=jd1") {
		t.Errorf("filtered next link %q: does not keep the filter", next)
	}
	if res, _ := e.admin.get("/admin/audit?before=x"); res.StatusCode != 400 {
		t.Errorf("bad before: got %d, want 400", res.StatusCode)
	}
}
