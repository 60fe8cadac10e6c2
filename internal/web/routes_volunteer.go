package web

import "github.com/labstack/echo/v4"

// volunteerRoutes registers the routes of the volunteers' app, assignments, households and paper entry.
func (s *Server) volunteerRoutes(e *echo.Echo, api *echo.Group) {
}
