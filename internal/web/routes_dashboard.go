package web

import "github.com/labstack/echo/v4"

// dashboardRoutes registers the routes of the officials' dashboard: its page and its API.
func (s *Server) dashboardRoutes(e *echo.Echo, api *echo.Group) {
	e.GET("/dashboard", s.dashboard, s.authenticate, allow(staff...))
	d := api.Group("/dashboard", allow(staff...))
	d.GET("/overview", s.overview)
	d.GET("/children", s.children)
	d.GET("/ranking", s.ranking)
	d.GET("/trends", s.trends)
	d.GET("/topics", s.topics)
	d.GET("/suggestions", s.suggestions)
	d.GET("/coverage", s.coverage)
}
