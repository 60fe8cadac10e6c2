package web

import "github.com/labstack/echo/v4"

type meReply struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Area        string `json:"area,omitempty"`
	AreaName    string `json:"area_name,omitempty"`
	CSRF        string `json:"csrf,omitempty"`
}

// me handles GET /api/v1/me: who the caller is and, for a session, the CSRF token its
// writes must carry.
func (s *Server) me(c echo.Context) error {
	p := principalOf(c)
	if p == nil {
		return errUnauthorized
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, meReply{p.Username, p.DisplayName, string(p.Role), p.AreaCode, p.AreaName, p.CSRF})
}
