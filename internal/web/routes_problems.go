package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// problemRoutes registers the routes of the problem-closure loop (发现 → 交办 → 整改 →
// 反馈): the API, the staff pages, the export and the public 问效 page. Volunteers
// may raise problems from a visit and see those they raised; every other step is
// for staff in scope.
func (s *Server) problemRoutes(e *echo.Echo, api *echo.Group) {
	api.POST("/problems", s.createProblem, allow(enterers...))
	api.GET("/problems", s.listProblems, allow(enterers...))
	api.GET("/problems/stats", s.problemStatsHandler, allow(staff...))
	api.GET("/problems/standouts", s.problemStandouts, allow(staff...))
	api.GET("/problems/:id", s.getProblem, allow(enterers...))
	api.POST("/problems/:id/assign", s.assignProblem, allow(staff...))
	api.POST("/problems/:id/rectify", s.rectifyProblem, allow(staff...))
	api.POST("/problems/:id/close", s.closeProblem, allow(staff...))
	api.POST("/problems/:id/reopen", s.reopenProblem, allow(staff...))
	// Photos are bigger than the API's body limit.
	e.POST("/api/v1/problems/:id/photos", s.uploadPhoto, middleware.BodyLimit("6M"), s.authenticate, allow(staff...))
	api.GET("/problems/:id/photos/:photo", s.servePhoto, allow(enterers...))
	api.GET("/export/problems.xlsx", s.exportProblemsXLSX, allow(staff...))

	e.GET("/problems", s.problemsList, s.authenticate, allow(staff...))
	e.GET("/problems/:id", s.problemDetail, s.authenticate, allow(staff...))

	// Residents: what was done about the problems of their community.
	e.GET("/p/:survey/:area", s.publicProblemsPage)
}
