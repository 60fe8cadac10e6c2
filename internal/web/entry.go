package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/survey"
)

var errNotAssigned = newError(403, "not_assigned", "您未被分派到该区域，或分派已过期，不能为其录入问卷")

// mayEnter decides whether a signed-in user may enter answers for the area: admins
// anywhere, officials within their jurisdiction, volunteers where they hold an
// assignment valid today (an assignment covers its area's whole subtree).
func (s *Server) mayEnter(c echo.Context, p *principal, a area.Area) error {
	switch p.Role {
	case account.Admin:
		return nil
	case account.Official:
		if p.sees(a) {
			return nil
		}
		return survey.ErrNotFound
	case account.Volunteer:
		ok, err := s.store.Assigned(c.Request().Context(), p.ID, a.Path, s.today())
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errNotAssigned
}

// today is the local calendar day now, at midnight.
func (s *Server) today() time.Time {
	t := s.now().In(s.cfg.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.cfg.Location)
}
