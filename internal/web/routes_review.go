package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// reviewRoutes registers the review of responses held back by flags: its page and its API.
func (s *Server) reviewRoutes(e *echo.Echo, api *echo.Group) {
	e.GET("/review", s.reviewPage, s.authenticate, allow(staff...))
	e.POST("/review", s.reviewPagePost, middleware.BodyLimit("64K"), s.authenticate, allow(staff...))
	r := api.Group("/review", allow(staff...))
	r.GET("", s.reviewList)
	r.POST("", s.reviewDecide)
}
