package web

import "github.com/labstack/echo/v4"

// dashboardRoutes registers the routes of the officials' dashboard: its page and its API.
func (s *Server) dashboardRoutes(e *echo.Echo, api *echo.Group) {
}
