package web

import (
	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

type childrenReply struct {
	Area       area.Area       `json:"area"`
	Round      *store.Round    `json:"round"`
	Previous   *store.Round    `json:"previous"`
	Indicators []indicatorHead `json:"indicators"`
	Rows       []childRow      `json:"rows"`
	Alerts     []bottomAlert   `json:"alerts"`
	counting
}

type childRow struct {
	Area        areaRef       `json:"area"`
	Respondents int           `json:"respondents"`
	Indicators  []childFigure `json:"indicators"`
}

// childFigure is an indicator of a child area, with its place among its siblings
// (headline indicators only; nil for small samples).
type childFigure struct {
	stats.Result
	BelowTarget bool `json:"below_target"`
	Rank        *int `json:"rank"`
}

// bottomAlert is an area in the bottom places of its siblings on a headline
// indicator in this round and in the round before.
type bottomAlert struct {
	Indicator      string   `json:"indicator"`
	Name           string   `json:"name"`
	Area           areaRef  `json:"area"`
	Rate           *float64 `json:"rate"`
	Rank           int      `json:"rank"`
	Ranked         int      `json:"ranked"`
	PreviousRate   *float64 `json:"previous_rate"`
	PreviousRank   int      `json:"previous_rank"`
	PreviousRanked int      `json:"previous_ranked"`
	Round          string   `json:"round"`
	PreviousRound  string   `json:"previous_round"`
}

// children handles GET /api/v1/dashboard/children: every indicator of each child
// area, the children's places on the headline indicators, and the children in the
// bottom places in this round and the one before.
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
	cells, err := s.store.Cells(ctx, areaIDs(kids), v.withPrevious(), nil)
	if err != nil {
		return err
	}
	reply := childrenReply{counting: v.Counting, Area: v.Area, Round: v.Round, Previous: v.Previous,
		Rows: make([]childRow, len(kids)), Alerts: []bottomAlert{}}
	for _, ind := range v.Def.Indicators {
		reply.Indicators = append(reply.Indicators, headOf(ind))
	}
	for i, kid := range kids {
		counts := cells.Pool(kid.ID, v.Rounds...)
		row := childRow{Area: areaRefOf(kid), Respondents: counts.Respondents()}
		for _, ind := range v.Def.Indicators {
			r := stats.Compute(ind, counts[ind.Question], s.cfg.SmallSample)
			row.Indicators = append(row.Indicators, childFigure{Result: r, BelowTarget: r.MeetsTarget != nil && !*r.MeetsTarget})
		}
		reply.Rows[i] = row
	}
	for j, ind := range v.Def.Indicators {
		if !ind.Headline {
			continue
		}
		now := make([]stats.Result, len(kids))
		for i := range kids {
			now[i] = reply.Rows[i].Indicators[j].Result
		}
		for i, place := range ranks(now) {
			reply.Rows[i].Indicators[j].Rank = place
		}
		pind, ok := indicatorOf(prevDef, ind.ID)
		if !ok {
			continue
		}
		before := make([]stats.Result, len(kids))
		for i, kid := range kids {
			before[i] = stats.Compute(pind, cells.Pool(kid.ID, v.Previous.ID)[pind.Question], s.cfg.SmallSample)
		}
		reply.Alerts = append(reply.Alerts, bottomAlerts(ind, kids, now, before, v)...)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// bottomAlerts lists the areas at the bottom of both rankings of an indicator.
func bottomAlerts(ind survey.Indicator, kids []area.Area, now, before []stats.Result, v *dashView) []bottomAlert {
	var out []bottomAlert
	lowNow, lowBefore := atBottom(now), atBottom(before)
	placeNow, placeBefore := ranks(now), ranks(before)
	for i, kid := range kids {
		if !lowNow[i] || !lowBefore[i] {
			continue
		}
		out = append(out, bottomAlert{Indicator: ind.ID, Name: ind.Name, Area: areaRefOf(kid),
			Rate: now[i].Rate, Rank: *placeNow[i], Ranked: len(rankedOrder(now)),
			PreviousRate: before[i].Rate, PreviousRank: *placeBefore[i], PreviousRanked: len(rankedOrder(before)),
			Round: v.Round.Name, PreviousRound: v.Previous.Name})
	}
	return out
}

type rankingReply struct {
	Area      area.Area     `json:"area"`
	Round     *store.Round  `json:"round"`
	Indicator indicatorHead `json:"indicator"`
	Level     string        `json:"level"`
	Ranked    []rankedArea  `json:"ranked"`
	Small     []rankedArea  `json:"small"`
	counting
}

type rankedArea struct {
	Area        areaRef `json:"area"`
	Respondents int     `json:"respondents"`
	Rank        *int    `json:"rank"`
	rateFigure
}

// ranking handles GET /api/v1/dashboard/ranking: the children of an area, or every
// community and village below it (level=community), ranked by one indicator, best
// first; small samples apart, unranked.
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
	var list []area.Area
	if level == "children" {
		list, err = s.store.Children(ctx, v.Area.ID)
	} else {
		list, err = s.communitiesUnder(c, v.Area)
	}
	if err != nil {
		return err
	}
	cells, err := s.store.Cells(ctx, areaIDs(list), v.Rounds, []string{ind.Question})
	if err != nil {
		return err
	}
	results := make([]stats.Result, len(list))
	respondents := make([]int, len(list))
	for i, a := range list {
		counts := cells.Pool(a.ID, v.Rounds...)
		results[i], respondents[i] = stats.Compute(ind, counts[ind.Question], s.cfg.SmallSample), counts.Respondents()
	}
	places := ranks(results)
	reply := rankingReply{counting: v.Counting, Area: v.Area, Round: v.Round, Indicator: headOf(ind), Level: level,
		Ranked: []rankedArea{}, Small: []rankedArea{}}
	for _, i := range rankedOrder(results) {
		reply.Ranked = append(reply.Ranked, rankedArea{areaRefOf(list[i]), respondents[i], places[i], rateOf(results[i])})
	}
	for i, r := range results {
		if !rankable(r) {
			reply.Small = append(reply.Small, rankedArea{areaRefOf(list[i]), respondents[i], nil, rateOf(r)})
		}
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
