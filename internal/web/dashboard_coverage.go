package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/store"
)

type coverageReply struct {
	Area   area.Area     `json:"area"`
	Round  *store.Round  `json:"round"`
	Rows   []coverageRow `json:"rows"`
	Total  coverageRow   `json:"total"`
	Month  string        `json:"month"`
	Rounds []store.Round `json:"rounds_this_month"`
	counting
}

// coverageRow is how many households of a community answered: respondents per 100
// households, nil when the household count is unknown.
type coverageRow struct {
	Area        areaRef  `json:"area"`
	Households  *int     `json:"households"`
	Respondents int      `json:"respondents"`
	Per100      *float64 `json:"per_100_households"`
}

// coverage handles GET /api/v1/dashboard/coverage: respondents against households of
// every community and village of an area's subtree, and the rounds of the survey
// fielded in the current calendar month.
func (s *Server) coverage(c echo.Context) error {
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	list, err := s.communitiesUnder(c, v.Area)
	if err != nil {
		return err
	}
	cells, err := s.store.Cells(c.Request().Context(), areaIDs(list), v.Rounds, []string{""})
	if err != nil {
		return err
	}
	reply := coverageReply{counting: v.Counting, Area: v.Area, Round: v.Round, Rows: []coverageRow{}, Rounds: []store.Round{},
		Total: coverageRow{Area: areaRefOf(v.Area)}}
	// The total rate counts only the communities whose households are known.
	households, counted := 0, 0
	for _, a := range list {
		row := coverageRow{Area: areaRefOf(a), Households: a.Households, Respondents: cells.Pool(a.ID, v.Rounds...).Respondents()}
		row.Per100 = per100(row.Respondents, a.Households)
		reply.Total.Respondents += row.Respondents
		if a.Households != nil {
			households += *a.Households
			counted += row.Respondents
		}
		reply.Rows = append(reply.Rows, row)
	}
	reply.Total.Households = &households
	reply.Total.Per100 = per100(counted, &households)
	now := s.now().In(s.cfg.Location)
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.cfg.Location)
	end := start.AddDate(0, 1, 0)
	reply.Month = start.Format("2006-01")
	for _, r := range v.All {
		if r.OpenedAt.Before(end) && (r.ClosesAt == nil || r.ClosesAt.After(start)) && !r.OpenedAt.After(now) {
			reply.Rounds = append(reply.Rounds, r)
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

func per100(respondents int, households *int) *float64 {
	if households == nil || *households == 0 {
		return nil
	}
	x := 100 * float64(respondents) / float64(*households)
	return &x
}
