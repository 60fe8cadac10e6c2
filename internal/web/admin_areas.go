package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/csvfile"
	"minyi/internal/store"
)

// areasPage is the area tree with the CSV import form.
type areasPage struct {
	Flash, Error string
	Lines        []string // file:line: reason of a rejected import
	Roots        []*areaNode
	Count        int
	Surveys      []store.SurveySummary
	Survey       string // the survey whose posters and QR codes are linked
	Header       string
	Kinds        string
	// Focus is the area to show unfolded, with the error and value of its form.
	Focus, FocusError, FocusInput string
}

// areaNode is one area of the tree as the page shows it.
type areaNode struct {
	area.Area
	Depth      int
	Children   []*areaNode
	Open       bool
	Households string // as stored, "" when unknown
	Input      string // the value of the households field
	Error      string
	Links      *areaLinks
}

// areaLinks is what every node's forms and links need from the page.
type areaLinks struct {
	CSRF, Survey string
}

// areaTree builds the tree from areas listed parents before children. An area whose
// parent is not in the list is a root.
func areaTree(areas []area.Area) []*areaNode {
	byCode := make(map[string]*areaNode, len(areas))
	var roots []*areaNode
	for _, a := range areas {
		n := &areaNode{Area: a}
		if a.Households != nil {
			n.Households = strconv.Itoa(*a.Households)
		}
		n.Input = n.Households
		byCode[a.Code] = n
		if p, ok := byCode[a.ParentCode]; ok {
			n.Depth = p.Depth + 1
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

// walk calls f on n and every area below it, parents first.
func (n *areaNode) walk(f func(*areaNode)) {
	f(n)
	for _, ch := range n.Children {
		ch.walk(f)
	}
}

// openAll is the largest tree shown fully unfolded; larger ones show their top level.
const openAll = 100

// adminAreas handles GET /admin/areas[?survey=S][&open=CODE].
func (s *Server) adminAreas(c echo.Context) error {
	return s.renderAreas(c, http.StatusOK, areasPage{Flash: flash(c), Focus: c.QueryParam("open")})
}

func (s *Server) renderAreas(c echo.Context, status int, page areasPage) error {
	ctx := c.Request().Context()
	areas, err := s.store.Subtree(ctx, "")
	if err != nil {
		return err
	}
	if page.Surveys, err = s.store.Surveys(ctx, s.now()); err != nil {
		return err
	}
	page.Survey = c.QueryParam("survey")
	if !knownSurvey(page.Surveys, page.Survey) {
		page.Survey = ""
		if len(page.Surveys) > 0 {
			page.Survey = page.Surveys[0].ID
		}
	}
	page.Roots, page.Count = areaTree(areas), len(areas)
	links := &areaLinks{CSRF: principalOf(c).CSRF, Survey: page.Survey}
	parents := map[*areaNode]*areaNode{}
	var focus *areaNode
	for _, r := range page.Roots {
		r.walk(func(n *areaNode) {
			n.Links, n.Open = links, page.Count <= openAll || n.Depth == 0
			for _, ch := range n.Children {
				parents[ch] = n
			}
			if n.Code == page.Focus {
				focus = n
			}
		})
	}
	if focus != nil {
		if page.FocusError != "" {
			focus.Error, focus.Input = page.FocusError, page.FocusInput
		}
		for n := focus; n != nil; n = parents[n] {
			n.Open = true
		}
	}
	page.Header = strings.Join(area.Header, ",")
	kinds := make([]string, len(area.Kinds))
	for i, k := range area.Kinds {
		kinds[i] = k.ID + "（" + k.Label + "）"
	}
	page.Kinds = strings.Join(kinds, "、")
	return s.renderStaff(c, status, "admin_areas.html", "areas", "区域管理", page)
}

func knownSurvey(list []store.SurveySummary, id string) bool {
	for _, sv := range list {
		if sv.ID == id {
			return true
		}
	}
	return false
}

// adminImportAreas handles POST /admin/areas/import: a CSV file upload, imported
// whole or not at all, every bad line listed as file:line: reason.
func (s *Server) adminImportAreas(c echo.Context) error {
	name, f, err := formFile(c, "areas.csv")
	if errors.Is(err, errNoFile) {
		return s.renderAreas(c, http.StatusUnprocessableEntity, areasPage{Error: "请选择要导入的 CSV 文件"})
	}
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := area.ParseCSV(name, f)
	created, updated := 0, 0
	if err == nil {
		created, updated, err = s.store.ImportAreas(c.Request().Context(), name, rows)
	}
	var ie *csvfile.ImportError
	if errors.As(err, &ie) {
		page := areasPage{Error: "文件有错误，未导入任何区域。请修改以下各行后重新上传：", Lines: ie.Report()}
		return s.renderAreas(c, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	s.cache.forgetAreas()
	s.audit(c, principalOf(c), "area.import", "", name,
		map[string]any{"file": name, "created": created, "updated": updated})
	return done(c, "/admin/areas", "area.import", "created", created, "updated", updated)
}

// maxHouseholds is the largest household count an area may have, as in the CSV import.
const maxHouseholds = 10000000

// adminSetHouseholds handles POST /admin/areas/:code/households: the household count
// (empty for unknown) and whether the area is in the questionnaire's scope.
func (s *Server) adminSetHouseholds(c echo.Context) error {
	code := c.Param("code")
	raw := formValue(c, "households")
	fail := func(msg string) error {
		return s.renderAreas(c, http.StatusUnprocessableEntity,
			areasPage{Error: msg, Focus: code, FocusError: msg, FocusInput: raw})
	}
	var households *int
	if raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > maxHouseholds {
			return fail(fmt.Sprintf("户数应为 0 至 %d 之间的整数，不清楚可留空", maxHouseholds))
		}
		households = &n
	}
	inScope, err := strconv.ParseBool(c.FormValue("in_scope"))
	if err != nil {
		return fail("请选择是否纳入调查范围")
	}
	before, after, err := s.store.SetAreaHouseholds(c.Request().Context(), code, households, inScope)
	if err != nil {
		return err
	}
	back := "/admin/areas?open=" + url.QueryEscape(code) + "#area-" + url.QueryEscape(code)
	if sameInt(before.Households, after.Households) && before.InScope == after.InScope {
		return done(c, back, "nochange")
	}
	s.cache.forgetAreas()
	s.audit(c, principalOf(c), "area.update", after.Code, after.Code, map[string]any{
		"households": after.Households, "in_scope": after.InScope,
		"households_before": before.Households, "in_scope_before": before.InScope})
	return done(c, back, "area.update")
}

func sameInt(a, b *int) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}
