package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/store"
)

// assignmentsPageData is what the assignments page shows.
type assignmentsPageData struct {
	List       []store.Assignment
	Volunteers []string // usernames to suggest
	Areas      []areaOption
	Form       assignmentInput
	Error      string
	Fields     map[string]string
	Done       string
}

// areaOption is an area offered in a list, indented by its depth below the root shown.
type areaOption struct {
	Code, Name, Kind string
	Depth            int
}

// assignmentsPage handles GET /assignments.
func (s *Server) assignmentsPage(c echo.Context) error {
	today := s.today()
	form := assignmentInput{Starts: today.Format(time.DateOnly), Ends: today.AddDate(0, 0, 30).Format(time.DateOnly)}
	var done string
	switch c.QueryParam("done") {
	case "created":
		done = "已分派"
	case "deleted":
		done = "已取消分派"
	}
	return s.renderAssignments(c, http.StatusOK, form, nil, done)
}

func (s *Server) renderAssignments(c echo.Context, status int, form assignmentInput, ferr error, done string) error {
	ctx := c.Request().Context()
	list, err := s.assignments(c, "", false)
	if err != nil {
		return err
	}
	areas, err := s.areaOptions(c)
	if err != nil {
		return err
	}
	data := assignmentsPageData{List: list, Areas: areas, Form: form, Done: done}
	seen := map[string]bool{}
	if principalOf(c).Role == account.Admin {
		users, err := s.store.Users(ctx, "")
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.Role == account.Volunteer && !u.Disabled {
				data.Volunteers, seen[u.Username] = append(data.Volunteers, u.Username), true
			}
		}
	}
	for _, a := range list {
		if !seen[a.Username] {
			data.Volunteers, seen[a.Username] = append(data.Volunteers, a.Username), true
		}
	}
	if ferr != nil {
		ae := toAPIError(ferr)
		if ae.Status >= 500 {
			return ferr
		}
		data.Error, data.Fields = ae.Message, ae.Fields
		if ae.Status == 404 {
			data.Error = "找不到该用户或区域，或区域不在您的管辖范围内"
		}
		status = ae.Status
	}
	return s.renderStaff(c, status, "v_assignments.html", "assignments", "志愿者分派", data)
}

// areaOptions lists the areas of the caller's jurisdiction, parents first, at most
// maxAreaOptions of them.
func (s *Server) areaOptions(c echo.Context) ([]areaOption, error) {
	root, err := s.scopedArea(c, "")
	if err != nil {
		return nil, err
	}
	code := root.Code
	if principalOf(c).Role == account.Admin {
		code = ""
	}
	list, err := s.store.Subtree(c.Request().Context(), code)
	if err != nil {
		return nil, err
	}
	base := strings.Count(root.Path, "/")
	if code == "" {
		base = 2
	}
	list = treeOrder(list)
	out := make([]areaOption, 0, min(len(list), maxAreaOptions))
	for _, a := range list[:min(len(list), maxAreaOptions)] {
		out = append(out, areaOption{a.Code, a.Name, a.KindLabel(), max(strings.Count(a.Path, "/")-base, 0)})
	}
	return out, nil
}

// treeOrder puts areas listed parents before children into the order of a tree read
// from the top: each area followed by its subtree, siblings by code.
func treeOrder(list []area.Area) []area.Area {
	in := make(map[string]bool, len(list))
	for _, a := range list {
		in[a.Code] = true
	}
	children := map[string][]area.Area{}
	var tops []area.Area
	for _, a := range list {
		if in[a.ParentCode] {
			children[a.ParentCode] = append(children[a.ParentCode], a)
		} else {
			tops = append(tops, a)
		}
	}
	out := make([]area.Area, 0, len(list))
	var walk func([]area.Area)
	walk = func(as []area.Area) {
		slices.SortFunc(as, func(a, b area.Area) int { return strings.Compare(a.Code, b.Code) })
		for _, a := range as {
			out = append(out, a)
			walk(children[a.Code])
		}
	}
	walk(tops)
	return out
}

const maxAreaOptions = 3000

// assignmentsPost handles POST /assignments, the page's form.
func (s *Server) assignmentsPost(c echo.Context) error {
	in := assignmentInput{Username: c.FormValue("username"), Area: c.FormValue("area"),
		Starts: c.FormValue("starts"), Ends: c.FormValue("ends")}
	if _, err := s.assign(c, in); err != nil {
		return s.renderAssignments(c, 0, in, err, "")
	}
	return c.Redirect(http.StatusSeeOther, "/assignments?done=created")
}

// assignmentDeletePost handles POST /assignments/:id/delete, the page's button.
func (s *Server) assignmentDeletePost(c echo.Context) error {
	if err := s.unassign(c, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/assignments?done=deleted")
}
