package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Exports leave the service as files that officials open in Excel and send on, so
// every text cell is made safe for that: cells that a spreadsheet would read as a
// formula are neutralised, and phone numbers are masked.

// cellText makes a text cell inert in a spreadsheet: a cell starting with = + - @, a
// tab or a carriage return would be read as a formula (CSV injection), so it gets a
// leading apostrophe, which spreadsheets show as text.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// unsafeName are the characters file systems refuse in file names.
var unsafeName = strings.NewReplacer("/", "_", `\`, "_", ":", "_", "*", "_", "?", "_", `"`, "_",
	"<", "_", ">", "_", "|", "_", "\r", "", "\n", "", "\t", " ")

// attachment sets Content-Disposition for a download: the Chinese name as an RFC 5987
// filename*, and an ASCII name for clients that know no better.
func attachment(c echo.Context, name, ascii string) {
	name = unsafeName.Replace(name)
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		ascii, rfc5987(name)))
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
}

// rfc5987 percent-encodes a UTF-8 file name as the value of filename* (RFC 5987 attr-char).
func rfc5987(name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// auditExport records an export. It runs after the file was written, when the
// request's context may already be cancelled by a client that hung up: the record is
// written regardless.
func (s *Server) auditExport(c echo.Context, action, scope string, detail map[string]any) {
	req := c.Request()
	c.SetRequest(req.WithContext(context.WithoutCancel(req.Context())))
	s.audit(c, principalOf(c), action, scope, "", detail)
	c.SetRequest(req)
}

// roundLabel names a round in file names and notes: its name, or 全部轮次.
func roundLabel(q *indicatorQuery) string {
	if q.Reply.Round == nil {
		return "全部轮次"
	}
	return q.Reply.Round.Name
}

// roundParam is the round as the audit log records it: its id, or "all".
func roundParam(q *indicatorQuery) any {
	if q.Reply.Round == nil {
		return "all"
	}
	return q.Reply.Round.ID
}

// roundTag is the round in ASCII file names.
func roundTag(q *indicatorQuery) string {
	if q.Reply.Round == nil {
		return "all"
	}
	return fmt.Sprintf("round%d", q.Reply.Round.ID)
}

// exportTime formats a time in the service's time zone, as Chinese readers expect.
func (s *Server) exportTime(t time.Time) string {
	return t.In(s.cfg.Location).Format("2006-01-02 15:04:05")
}
