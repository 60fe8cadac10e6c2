package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"minyi/internal/account"
)

// enterers are the roles that may enter answers for households: volunteers where
// assigned, officials in their jurisdiction, admins anywhere (see mayEnter).
var enterers = []account.Role{account.Admin, account.Official, account.Volunteer}

// volunteerRoutes registers the routes of the volunteers' app, assignments, households and paper entry.
func (s *Server) volunteerRoutes(e *echo.Echo, api *echo.Group) {
	// The volunteers' app: an installable PWA whose shell, service worker and manifest
	// work offline; what it needs to work offline comes from the bootstrap.
	e.GET("/v", func(c echo.Context) error { return c.Redirect(301, "/v/") })
	e.GET("/v/", s.volunteerApp, s.authenticate, allow(enterers...))
	e.GET("/v/sw.js", s.serviceWorker)
	e.GET("/v/manifest.webmanifest", s.manifest)
	api.GET("/volunteer/bootstrap", s.bootstrap, allow(enterers...))
	api.GET("/volunteer/surveys/:id", s.getSurvey, allow(enterers...))
	api.POST("/visits", s.recordVisit, allow(enterers...))

	// Assignments of volunteers to areas, by admins and officials in scope.
	api.POST("/assignments", s.createAssignment, allow(staff...))
	api.GET("/assignments", s.listAssignments, allow(staff...))
	api.DELETE("/assignments/:id", s.deleteAssignment, allow(staff...))
	e.GET("/assignments", s.assignmentsPage, s.authenticate, allow(staff...))
	e.POST("/assignments", s.assignmentsPost, middleware.BodyLimit("16K"), s.authenticate, allow(staff...))
	e.POST("/assignments/:id/delete", s.assignmentDeletePost, middleware.BodyLimit("16K"), s.authenticate, allow(staff...))

	// Household lists: CSV imports bigger than the API's body limit.
	api.GET("/households", s.listHouseholds, allow(staff...))
	api.GET("/households/template.csv", s.householdTemplate, allow(staff...))
	e.POST("/api/v1/households/import", s.importHouseholds, middleware.BodyLimit("8M"), s.authenticate, allow(staff...))
	e.GET("/households", s.householdsPage, s.authenticate, allow(staff...))
	e.POST("/households", s.householdsPost, middleware.BodyLimit("8M"), s.authenticate, allow(staff...))

	// Paper questionnaires: keyed in one by one, or uploaded as CSV.
	e.GET("/paper", s.paperPage, s.authenticate, allow(enterers...))
	api.GET("/paper/template.csv", s.paperTemplate, allow(enterers...))
	e.POST("/api/v1/paper/import", s.importPaper, middleware.BodyLimit("8M"), s.authenticate, allow(enterers...))

	// Coverage of the door-to-door round and the visit ledger (入户台账).
	api.GET("/ledger/coverage", s.visitCoverage, allow(staff...))
	api.GET("/ledger", s.ledger, allow(staff...))
	api.GET("/export/ledger.xlsx", s.ledgerXLSX, allow(staff...))
	e.GET("/ledger", s.ledgerPage, s.authenticate, allow(staff...))
}
