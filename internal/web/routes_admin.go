package web

import "github.com/labstack/echo/v4"

// adminRoutes registers the routes of the administration pages.
func (s *Server) adminRoutes(e *echo.Echo, api *echo.Group) {
}
