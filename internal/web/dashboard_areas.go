package web

import (
	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
)

type childrenReply struct {
	Area     area.Area    `json:"area"`
	Round    *store.Round `json:"round"`
	Previous *store.Round `json:"previous"`
	figureView
	Indicators []indicatorHead `json:"indicators"`
	Rows       []childRow      `json:"rows"`
	Alerts     []alertReply    `json:"alerts"`
	counting
}

type childRow struct {
	Area        areaRef       `json:"area"`
	Respondents int           `json:"respondents"`
	Indicators  []childFigure `json:"indicators"`
}

// childFigure is an indicator of a child area with, on headline indicators, its
// standing among its siblings (nil when not ranked: small samples, out-of-scope
// areas, the parent's own row).
type childFigure struct {
	stats.Result
	Standing *StandingFigure `json:"standing"`
}

// children handles GET /api/v1/dashboard/children: every indicator of each child
// area and of the area's own responses (本级), the children's tiers on the headline
// indicators, and the alerts of this round against the one before.
func (s *Server) children(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	prevDef, err := s.previousDef(c, v)
	if err != nil {
		return err
	}
	kids, err := s.store.Children(ctx, v.Area.ID)
	if err != nil {
		return err
	}
	figs, err := s.readFigures(ctx, v.View, store.CellQuery{SurveyID: v.Survey, Rounds: v.withPrevious()},
		v.Area, append([]area.Area{v.Area}, kids...))
	if err != nil {
		return err
	}
	reply := childrenReply{counting: v.Counting, Area: v.Area, Round: v.Round, Previous: v.Previous, figureView: v.View,
		Rows: make([]childRow, len(kids)), Alerts: []alertReply{}}
	for _, ind := range v.Def.Indicators {
		reply.Indicators = append(reply.Indicators, headOf(ind))
	}
	var counts []store.Counts
	for i, kid := range kids {
		cs := figs.counts(kid.ID, "", v.Rounds)
		counts = append(counts, cs)
		row := childRow{Area: areaRefOf(kid), Respondents: cs.Respondents()}
		for _, ind := range v.Def.Indicators {
			row.Indicators = append(row.Indicators, childFigure{Result: figs.result(ind, kid, "", v.Rounds)})
		}
		reply.Rows[i] = row
	}
	if own := figs.counts(v.Area.ID, "", v.Rounds).Minus(counts...); own.Respondents() > 0 {
		row := childRow{Area: ownRef(v.Area), Respondents: own.Respondents()}
		for _, ind := range v.Def.Indicators {
			row.Indicators = append(row.Indicators, childFigure{Result: stats.Compute(ind, own[ind.Question], s.cfg.SmallSample)})
		}
		reply.Rows = append(reply.Rows, row)
	}
	for j, ind := range v.Def.Indicators {
		if !ind.Headline {
			continue
		}
		now := make([]stats.Result, len(kids))
		for i := range kids {
			now[i] = reply.Rows[i].Indicators[j].Result
		}
		rk := rankSiblings(kids, now)
		for i := range kids {
			reply.Rows[i].Indicators[j].Standing = standingOf(rk, i)
		}
		pind, ok := indicatorOf(prevDef, ind.ID)
		if !ok {
			continue
		}
		before := make([]stats.Result, len(kids))
		for i, kid := range kids {
			before[i] = figs.result(pind, kid, "", []int64{v.Previous.ID})
		}
		reply.Alerts = append(reply.Alerts, alertsOf(ind, kids, now, before, v.Round.Name, v.Previous.Name)...)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

type rankingReply struct {
	Area      area.Area     `json:"area"`
	Round     *store.Round  `json:"round"`
	Previous  *store.Round  `json:"previous"`
	Indicator indicatorHead `json:"indicator"`
	Level     string        `json:"level"`
	figureView
	P0         *float64      `json:"p0"` // the siblings' pooled rate; null when none has a valid answer
	P0Text     string        `json:"p0_text"`
	K          float64       `json:"k"` // the prior strength of the shrunk rates
	Ranked     []rankedArea  `json:"ranked"`
	Small      []rankedArea  `json:"small"`
	OutOfScope []rankedArea  `json:"out_of_scope"`
	Funnel     []funnelPoint `json:"funnel"`
	Alerts     []alertReply  `json:"alerts"`
	counting
}

type rankedArea struct {
	Area        areaRef `json:"area"`
	Respondents int     `json:"respondents"`
	*StandingFigure
	rateFigure
}

// ranking handles GET /api/v1/dashboard/ranking: the children of an area, or every
// community and village below it (level=community), compared on one indicator: by
// tier against the siblings' pooled rate p0, then by shrunk rate; small samples and
// out-of-scope areas apart, unranked; the funnel's limits; and the alerts against
// the round before.
func (s *Server) ranking(c echo.Context) error {
	ctx := c.Request().Context()
	level := c.QueryParam("level")
	if level == "" {
		level = "children"
	}
	if level != "children" && level != "community" {
		return invalidParam("level", "level 只能为 children 或 community")
	}
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	id := c.QueryParam("indicator")
	if id == "" {
		if heads := headlineIndicators(v.Def); len(heads) > 0 {
			id = heads[0].ID
		}
	}
	ind, ok := indicatorOf(v.Def, id)
	if !ok {
		return invalidParam("indicator", "问卷中没有该指标")
	}
	prevDef, err := s.previousDef(c, v)
	if err != nil {
		return err
	}
	var list []area.Area
	if level == "children" {
		list, err = s.store.Children(ctx, v.Area.ID)
	} else {
		list, err = s.communitiesUnder(c, v.Area)
	}
	if err != nil {
		return err
	}
	questions := []string{ind.Question}
	pind, hasPrev := indicatorOf(prevDef, ind.ID)
	if hasPrev {
		questions = append(questions, pind.Question)
	}
	figs, err := s.readFigures(ctx, v.View, store.CellQuery{SurveyID: v.Survey, Rounds: v.withPrevious(), Questions: questions}, v.Area, list)
	if err != nil {
		return err
	}
	results := make([]stats.Result, len(list))
	respondents := make([]int, len(list))
	maxN := 0
	for i, a := range list {
		results[i], respondents[i] = figs.result(ind, a, "", v.Rounds), figs.counts(a.ID, "", v.Rounds).Respondents()
		maxN = max(maxN, results[i].Valid)
	}
	rk := rankSiblings(list, results)
	reply := rankingReply{counting: v.Counting, Area: v.Area, Round: v.Round, Previous: v.Previous, Indicator: headOf(ind), Level: level,
		figureView: v.View, P0: rk.P0, P0Text: stats.PercentOf(rk.P0), K: rk.K, Funnel: funnelOf(rk.P0, maxN),
		Ranked: []rankedArea{}, Small: []rankedArea{}, OutOfScope: []rankedArea{}, Alerts: []alertReply{}}
	for _, i := range rk.Order {
		reply.Ranked = append(reply.Ranked, rankedArea{areaRefOf(list[i]), respondents[i], standingOf(rk, i), rateOf(results[i])})
	}
	for i, a := range list {
		switch {
		case !a.InScope:
			reply.OutOfScope = append(reply.OutOfScope, rankedArea{areaRefOf(a), respondents[i], nil, rateOf(results[i])})
		case !rk.Standings[i].Ranked:
			reply.Small = append(reply.Small, rankedArea{areaRefOf(a), respondents[i], nil, rateOf(results[i])})
		}
	}
	if hasPrev {
		before := make([]stats.Result, len(list))
		for i, a := range list {
			before[i] = figs.result(pind, a, "", []int64{v.Previous.ID})
		}
		reply.Alerts = append(reply.Alerts, alertsOf(ind, list, results, before, v.Round.Name, v.Previous.Name)...)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// communitiesUnder lists the communities and villages of an area's subtree, the area
// itself included when it is one.
func (s *Server) communitiesUnder(c echo.Context, root area.Area) ([]area.Area, error) {
	all, err := s.store.Subtree(c.Request().Context(), root.Code)
	if err != nil {
		return nil, err
	}
	var out []area.Area
	for _, a := range all {
		if a.IsCommunity() {
			out = append(out, a)
		}
	}
	return out, nil
}
