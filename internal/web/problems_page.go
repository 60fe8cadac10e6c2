package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"minyi/internal/problem"
	"minyi/internal/store"
)

// problemsPage is the staff list of problems: those assigned to the official's unit
// or below (view=unit, the default) or all in the jurisdiction (view=all).
type problemsPage struct {
	View       string
	Status     string
	Overdue    bool
	Area       placeRef
	Items      []problemReply
	More       bool
	Areas      []areaOption
	Categories []string
	Sources    []sourceOption
	Statuses   []sourceOption
	Export     string
}

type sourceOption struct{ ID, Label string }

// problemsList handles GET /problems[?view=unit|all][&status=S][&overdue=1]: the
// assignees' view, overdue first, each with its due day.
func (s *Server) problemsList(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.scopedArea(c, "")
	if err != nil {
		return err
	}
	page := problemsPage{View: c.QueryParam("view"), Status: c.QueryParam("status"),
		Overdue: c.QueryParam("overdue") == "1", Area: placeRef{a.Code, a.Name}}
	if page.View != "all" {
		page.View = "unit"
	}
	f := store.ProblemFilter{Path: a.Path, Status: problem.Status(page.Status), Overdue: page.Overdue,
		Today: s.today(), Limit: 201}
	if !f.Status.Valid() {
		f.Status, page.Status = "", ""
	}
	if page.View == "unit" {
		f.UnitPath = a.Path
		if f.Status == "" && !f.Overdue {
			f.Status = problem.Assigned // what the unit still has to do
			page.Status = string(problem.Assigned)
		}
	}
	list, err := s.store.Problems(ctx, f)
	if err != nil {
		return err
	}
	page.More = len(list) > 200
	for _, x := range list[:min(len(list), 200)] {
		page.Items = append(page.Items, s.replyOf(x))
	}
	if page.Areas, err = s.areaOptions(c); err != nil {
		return err
	}
	if page.Categories, _, err = s.problemCategories(ctx); err != nil {
		return err
	}
	page.Categories = append(page.Categories, problem.Other)
	for _, src := range []problem.Source{problem.FromInspection, problem.FromHotline, problem.FromChecklist, problem.FromSuggestion} {
		page.Sources = append(page.Sources, sourceOption{string(src), src.Label()})
	}
	for _, st := range problem.Statuses {
		page.Statuses = append(page.Statuses, sourceOption{string(st), st.Label()})
	}
	page.Export = "/api/v1/export/problems.xlsx?" + url.Values{"area": {a.Code}}.Encode()
	return s.renderStaff(c, 200, "problems.html", "problems", "问题交办", page)
}

// problemPage is one problem with what the caller may do next.
type problemPage struct {
	Problem problemReply
	Areas   []areaOption
	Today   string
}

// problemDetail handles GET /problems/:id: the problem, its photos and log, and the
// forms of the next steps, laid out for a phone.
func (s *Server) problemDetail(c echo.Context) error {
	x, err := s.scopedProblem(c)
	if err != nil {
		return err
	}
	r, err := s.fullReply(c.Request().Context(), x)
	if err != nil {
		return err
	}
	page := problemPage{Problem: r, Today: s.today().Format("2006-01-02")}
	if page.Areas, err = s.areaOptions(c); err != nil {
		return err
	}
	return s.renderStaff(c, 200, "problem.html", "problems", "问题 #"+strconv.FormatInt(x.ID, 10), page)
}
