package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// Middleware records minyi_http_request_duration_seconds{method,route,status} and
// minyi_http_requests_in_flight for every request it wraps.
//
// The route label is the matched route pattern (c.Path(), e.g. /s/:survey/:area),
// never the URL, and "unmatched" when no route matched, so scanners can't create
// series. Methods outside the standard ones are recorded as "other".
//
// An error from the handler chain is passed to the echo HTTPErrorHandler here, as
// echo's own logger middleware does, so the status recorded is the one sent; the
// middleware then returns nil. Register it with e.Use, outside middleware.Recover.
func (m *Metrics) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if m == nil {
			return next
		}
		return func(c echo.Context) error {
			m.inFlight.Inc()
			defer m.inFlight.Dec()
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			m.duration.WithLabelValues(
				method(c.Request().Method), route(c), strconv.Itoa(c.Response().Status),
			).Observe(time.Since(start).Seconds())
			return nil
		}
	}
}

// route is the pattern of the route that matched c, or "unmatched".
func route(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "unmatched"
}

// method returns m if it is a standard HTTP method, otherwise "other".
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "other"
}
