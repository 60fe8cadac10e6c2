package web

import "github.com/labstack/echo/v4"

// exportRoutes registers the routes of exports (XLSX, CSV) and the printable bulletin.
func (s *Server) exportRoutes(e *echo.Echo, api *echo.Group) {
}
