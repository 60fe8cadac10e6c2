package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"minyi/internal/store"
)

// auditEvents handles GET /api/v1/audit[?action=A][&user=U][&before=ID][&limit=N]
// (admins): audit events, newest first. An action ending in "." is a prefix.
func (s *Server) auditEvents(c echo.Context) error {
	f := store.AuditFilter{Action: c.QueryParam("action"), Username: c.QueryParam("user")}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"before", &f.BeforeID}} {
		if v := c.QueryParam(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return invalidParam(p.name, "应为非负整数")
			}
			*p.dst = n
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 1000 {
			return invalidParam("limit", "limit 应为 1–1000")
		}
		f.Limit = n
	}
	events, err := s.store.AuditEvents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if events == nil {
		events = []store.AuditEvent{}
	}
	return c.JSON(200, events)
}
