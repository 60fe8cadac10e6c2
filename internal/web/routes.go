package web

import (
	"net"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"minyi/internal/account"
)

// routes registers every route of the service: this function is its map.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.ipExtractor()
	e.Use(middleware.RequestID())
	e.Use(securityHeaders(s.csp))
	e.Use(s.metrics.Middleware())
	e.Use(s.logRequests)
	e.Use(middleware.Recover())
	e.Use(checkEncoding)
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		MinLength: 1024,
		Skipper: func(c echo.Context) bool {
			// Only pages and API reads are worth compressing; setting a compressor up
			// costs more than the small replies to writes. The cached resident form
			// compresses itself.
			// XLSX files are zip archives already.
			m := c.Request().Method
			return (m != "GET" && m != "HEAD") || c.Path() == "/s/:survey/:area" ||
				strings.HasSuffix(c.Path(), ".xlsx")
		},
	}))
	e.Use(middleware.ContextTimeout(30 * time.Second))

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/*", staticFiles())

	// Residents: the form a poster points to, and its no-JavaScript submission.
	e.GET("/s/:survey/:area", s.form)
	e.POST("/s/:survey/:area", s.formPost, middleware.BodyLimit("64K"))
	e.GET("/s/:survey/:area/thanks", s.thanks)
	e.GET("/wx/callback", s.wechatCallback) // WeChat's OAuth comes back here (wechat.go)

	// Staff sign in with a password; the session cookie then stands for them.
	e.GET("/", s.home, s.authenticate)
	e.GET("/login", s.loginForm, s.authenticate)
	e.POST("/login", s.login, middleware.BodyLimit("16K"))
	e.POST("/logout", s.logout, middleware.BodyLimit("16K"), s.authenticate)

	// Posters and QR codes of the caller's jurisdiction, for printing.
	e.GET("/qr/:survey/:file", s.qrCode, s.authenticate, allow(staff...))
	e.GET("/posters/:survey/:area", s.posters, s.authenticate, allow(staff...))

	// The API: residents submit anonymously; everything else needs a session or a
	// token, and answers only within the caller's jurisdiction.
	api := e.Group("/api/v1", middleware.BodyLimit("64K"), s.authenticate)
	api.POST("/responses", s.submitJSON)
	api.GET("/me", s.me)
	read := api.Group("", allow(staff...))
	read.GET("/surveys", s.listSurveys)
	read.GET("/surveys/:id", s.getSurvey)
	read.GET("/areas", s.listAreas)
	read.GET("/indicators", s.indicators)
	api.GET("/audit", s.auditEvents, allow(account.Admin))

	s.dashboardRoutes(e, api)
	s.exportRoutes(e, api)
	s.adminRoutes(e, api)
	s.volunteerRoutes(e, api)
	s.problemRoutes(e, api)
	s.reviewRoutes(e, api)
	return e
}

// ipExtractor believes X-Forwarded-For only from the configured trusted proxies.
func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range s.cfg.TrustedProxies {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		s.log.Info("request", "method", req.Method, "route", c.Path(), "status", res.Status,
			"dur_ms", time.Since(start).Milliseconds(), "bytes", res.Size,
			"request_id", res.Header().Get(echo.HeaderXRequestID))
		return nil
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(200, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if s.drain.Load() {
		return c.JSON(503, map[string]string{"status": "draining"})
	}
	db, rd := s.ready(c.Request().Context())
	body := map[string]string{"status": "ok", "postgres": "ok", "redis": "ok"}
	if !rd {
		body["status"], body["redis"] = "degraded", "down"
	}
	if !db {
		body["status"], body["postgres"] = "unavailable", "down"
		return c.JSON(503, body)
	}
	return c.JSON(200, body)
}
