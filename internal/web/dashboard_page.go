package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/store"
)

// dashboardPage is what the dashboard template shows before its script fetches the
// figures: where the official is, which survey and round, and the links out.
type dashboardPage struct {
	Surveys    []store.SurveySummary
	Survey     string
	Area       area.Area
	Crumbs     []crumb
	Rounds     []store.Round
	Round      *store.Round
	Open       bool
	Wall       bool
	Headlines  []indicatorHead
	Indicators []indicatorHead
	Links      map[string]string
	Link       string // this view outside wall mode
	WallLink   string // this view in wall mode
	ReviewLink string // the review page of this view's area and round
}

// crumb is one step of the way from the official's own area down to the one shown.
type crumb struct {
	Area area.Area
	Link string
}

// dashboard handles GET /dashboard: the officials' dashboard page of a survey, area
// (default: the official's own) and round (default: the open one, else the latest).
// wall=1 shows the overview and the ranking alone, large, for a wall screen.
func (s *Server) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	surveys, err := s.store.Surveys(ctx, s.now())
	if err != nil {
		return err
	}
	page := dashboardPage{Surveys: surveys, Survey: c.QueryParam("survey"), Wall: c.QueryParam("wall") == "1"}
	if page.Area, err = s.scopedArea(c, c.QueryParam("area")); err != nil {
		return err
	}
	if page.Survey == "" && len(surveys) > 0 {
		page.Survey = surveys[0].ID
	}
	if page.Survey != "" {
		var reply indicatorsReply
		def, err := s.roundOf(c, &reply, &store.CountFilter{SurveyID: page.Survey})
		if err != nil {
			return err
		}
		if page.Rounds, err = s.store.Rounds(ctx, page.Survey); err != nil {
			return err
		}
		page.Round = reply.Round
		page.Open = page.Round != nil && page.Round.Open(s.now())
		for _, ind := range def.Indicators {
			page.Indicators = append(page.Indicators, headOf(ind))
			if ind.Headline {
				page.Headlines = append(page.Headlines, headOf(ind))
			}
		}
		page.Links = exportLinks(page.Survey, page.Area.Code, page.Round)
	}
	page.Link = dashboardLink(page.Survey, page.Area.Code, page.Round, false)
	page.WallLink = dashboardLink(page.Survey, page.Area.Code, page.Round, true)
	page.ReviewLink = "/review?" + strings.TrimPrefix(dashboardLink(page.Survey, page.Area.Code, page.Round, false), "/dashboard?")
	if page.Crumbs, err = s.crumbs(c, page); err != nil {
		return err
	}
	return s.renderStaff(c, 200, "dashboard.html", "dashboard", "数据看板", page)
}

// crumbs is the breadcrumb of the page: the lineage of its area from the official's
// own area (the top of the tree for admins) down, each step a link to its dashboard.
func (s *Server) crumbs(c echo.Context, page dashboardPage) ([]crumb, error) {
	lineage, err := s.store.Lineage(c.Request().Context(), page.Area)
	if err != nil {
		return nil, err
	}
	p := principalOf(c)
	var out []crumb
	for _, a := range lineage {
		if p.Role != account.Admin && !p.sees(a) {
			continue // above the official's own area
		}
		out = append(out, crumb{a, dashboardLink(page.Survey, a.Code, page.Round, page.Wall)})
	}
	return out, nil
}

// dashboardLink is the URL of the dashboard of an area, in the same survey and round.
func dashboardLink(surveyID, code string, round *store.Round, wall bool) string {
	q := url.Values{"area": {code}}
	if surveyID != "" {
		q.Set("survey", surveyID)
	}
	if round != nil {
		q.Set("round", strconv.FormatInt(round.ID, 10))
	}
	if wall {
		q.Set("wall", "1")
	}
	return "/dashboard?" + q.Encode()
}

// exportLinks are the exports and the bulletin of the view, by element id.
func exportLinks(surveyID, code string, round *store.Round) map[string]string {
	q := url.Values{"survey": {surveyID}, "area": {code}}
	if round != nil {
		q.Set("round", strconv.FormatInt(round.ID, 10))
	}
	query := q.Encode()
	return map[string]string{
		"export-xlsx":           "/api/v1/export/indicators.xlsx?" + query,
		"export-csv":            "/api/v1/export/responses.csv?" + query,
		"export-responses-xlsx": "/api/v1/export/responses.xlsx?" + query,
		"bulletin-link":         "/bulletin?" + query,
	}
}
