package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"minyi/internal/account"
)

// adminRoutes registers the routes of the administration pages: users, areas, surveys
// with their rounds, and the audit log. Admins only. The body limit comes before
// authenticate, which reads the form for its CSRF token.
func (s *Server) adminRoutes(e *echo.Echo, api *echo.Group) {
	admin := []echo.MiddlewareFunc{s.authenticate, allow(account.Admin)}
	form := append([]echo.MiddlewareFunc{middleware.BodyLimit("64K")}, admin...)
	upload := append([]echo.MiddlewareFunc{middleware.BodyLimit("2M")}, admin...)

	e.GET("/admin", s.adminHome, admin...)

	e.GET("/admin/users", s.adminUsers, admin...)
	e.POST("/admin/users", s.adminCreateUser, form...)
	e.GET("/admin/users/:username", s.adminUser, admin...)
	e.POST("/admin/users/:username", s.adminUpdateUser, form...)
	e.POST("/admin/users/:username/password", s.adminUserPassword, form...)
	e.POST("/admin/users/:username/disable", s.adminDisableUser, form...)
	e.POST("/admin/users/:username/enable", s.adminEnableUser, form...)

	e.GET("/admin/areas", s.adminAreas, admin...)
	e.POST("/admin/areas/import", s.adminImportAreas, upload...)
	e.POST("/admin/areas/:code/households", s.adminSetHouseholds, form...)

	e.GET("/admin/surveys", s.adminSurveys, admin...)
	e.POST("/admin/surveys/import", s.adminImportSurvey, upload...)
	e.GET("/admin/surveys/:survey/versions/:version", s.adminPreview, admin...)
	e.POST("/admin/surveys/:survey/rounds", s.adminOpenRound, form...)
	e.POST("/admin/surveys/:survey/rounds/close", s.adminCloseRound, form...)

	e.GET("/admin/audit", s.adminAudit, admin...)
}
