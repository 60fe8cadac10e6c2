package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/store"
)

type auditAction struct{ Code, Label string }

// auditActions names the audit actions in Chinese, in the order the filter lists
// them. An entry ending in "." is a group: every action that starts with it.
var auditActions = []auditAction{
	{"login", "登录"},
	{"login.failed", "登录失败"},
	{"login.limited", "登录过于频繁被拒"},
	{"logout", "退出登录"},
	{"user.", "用户管理（全部）"},
	{"user.create", "创建用户"},
	{"user.update", "修改用户"},
	{"user.passwd", "重置密码"},
	{"user.disable", "停用用户"},
	{"user.enable", "启用用户"},
	{"token.", "访问令牌（全部）"},
	{"token.create", "创建访问令牌"},
	{"area.", "区域管理（全部）"},
	{"area.import", "导入区域"},
	{"area.update", "修改区域户数"},
	{"survey.", "问卷（全部）"},
	{"survey.import", "导入问卷"},
	{"round.", "轮次（全部）"},
	{"round.open", "开启轮次"},
	{"round.close", "结束轮次"},
	{"export.", "导出（全部）"},
}

// actionLabel is the Chinese name of an action: its own, else its group's.
func actionLabel(code string) string {
	group := ""
	for _, a := range auditActions {
		if a.Code == code {
			return a.Label
		}
		if strings.HasSuffix(a.Code, ".") && strings.HasPrefix(code, a.Code) {
			group = strings.TrimSuffix(a.Label, "（全部）")
		}
	}
	return group
}

// auditPageSize is how many events one page of the audit log shows.
const auditPageSize = 50

type auditPage struct {
	Action, User string
	Actions      []auditAction
	Events       []auditRow
	First        string // the link to the newest events; "" on the first page
	Next         string // the link to older events; "" on the last page
}

type auditRow struct {
	store.AuditEvent
	When, Label, Detail string
}

// adminAudit handles GET /admin/audit[?action=A][&user=U][&before=ID]: the audit log,
// newest first, filtered by action (a code, or a group ending in ".") and user.
func (s *Server) adminAudit(c echo.Context) error {
	f := store.AuditFilter{Action: strings.TrimSpace(c.QueryParam("action")),
		Username: strings.TrimSpace(c.QueryParam("user")), Limit: auditPageSize + 1}
	if v := c.QueryParam("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return invalidParam("before", "before 应为正整数")
		}
		f.BeforeID = n
	}
	events, err := s.store.AuditEvents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	page := auditPage{Action: f.Action, User: f.Username, Actions: auditActions}
	q := url.Values{}
	if f.Action != "" {
		q.Set("action", f.Action)
	}
	if f.Username != "" {
		q.Set("user", f.Username)
	}
	if f.BeforeID != 0 {
		page.First = strings.TrimSuffix("/admin/audit?"+q.Encode(), "?")
	}
	if f.Action != "" && !slices.ContainsFunc(auditActions, func(a auditAction) bool { return a.Code == f.Action }) {
		page.Actions = append(slices.Clip(auditActions), auditAction{f.Action, f.Action}) // typed into the URL
	}
	if len(events) > auditPageSize {
		events = events[:auditPageSize]
		q.Set("before", strconv.FormatInt(events[len(events)-1].ID, 10))
		page.Next = "/admin/audit?" + q.Encode()
	}
	for _, e := range events {
		row := auditRow{AuditEvent: e, When: e.At.In(s.cfg.Location).Format("2006-01-02 15:04:05"), Label: actionLabel(e.Action)}
		if len(e.Detail) > 0 {
			b, _ := json.Marshal(e.Detail)
			row.Detail = string(b)
		}
		page.Events = append(page.Events, row)
	}
	return s.renderStaff(c, http.StatusOK, "admin_audit.html", "audit", "审计日志", page)
}
