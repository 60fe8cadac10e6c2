package web

import "github.com/labstack/echo/v4"

// exportRoutes registers the routes of exports (XLSX, CSV) and the printable bulletin.
// Each answers within the caller's jurisdiction only, and each use is audited.
func (s *Server) exportRoutes(e *echo.Echo, api *echo.Group) {
	export := api.Group("/export", allow(staff...))
	export.GET("/indicators.xlsx", s.exportIndicators)
	export.GET("/responses.csv", s.exportResponsesCSV)
	export.GET("/responses.xlsx", s.exportResponsesXLSX)

	e.GET("/bulletin", s.bulletin, s.authenticate, allow(staff...))
}
