package web

import (
	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/survey"
)

var errNotAssigned = newError(403, "not_assigned", "您未被分派到该区域，或分派已过期，不能为其录入问卷")

// mayEnter decides whether a signed-in user may enter answers for the area: admins
// anywhere, officials within their jurisdiction, volunteers where assigned.
func (s *Server) mayEnter(c echo.Context, p *principal, a area.Area) error {
	switch p.Role {
	case account.Admin:
		return nil
	case account.Official:
		if p.sees(a) {
			return nil
		}
		return survey.ErrNotFound
	}
	return errNotAssigned
}
