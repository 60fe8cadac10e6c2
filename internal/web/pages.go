package web

import "github.com/labstack/echo/v4"

// staffPage is what every staff page template gets: its title, the navigation item
// it belongs to, who is signed in (Me.CSRF goes into every form as _csrf) and the
// page's own data.
type staffPage struct {
	Title string
	Nav   string
	Me    *principal
	Data  any
}

// renderStaff renders a staff page template, which starts with
// {{template "staff-top" .}} and ends with {{template "staff-bottom" .}}.
func (s *Server) renderStaff(c echo.Context, status int, name, nav, title string, data any) error {
	return s.render(c, status, name, staffPage{Title: title, Nav: nav, Me: principalOf(c), Data: data})
}
