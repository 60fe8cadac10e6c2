package web

import (
	"strings"
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

// coverageRow is how far a community's households were reached: coverage is the
// distinct households whose answers were entered (door-to-door or paper, with a
// household key) per 100 households; answers per 100 households (每百户答卷数) is
// another figure, counting every response, residents' own included. Both are nil when
// the household count is unknown.
type coverageRow struct {
	Area              areaRef  `json:"area"`
	Households        *int     `json:"households"`
	HouseholdsReached int      `json:"households_reached"`
	Coverage          *float64 `json:"coverage_per_100_households"`
	Respondents       int      `json:"respondents"`
	AnswersPer100     *float64 `json:"answers_per_100_households"`
}

// coverage handles GET /api/v1/dashboard/coverage: households reached and answers
// against households of every community and village of an area's subtree, and the
// rounds of the survey fielded in the current calendar month.
func (s *Server) coverage(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	list, err := s.communitiesUnder(c, v.Area)
	if err != nil {
		return err
	}
	cells, err := s.store.Cells(ctx, store.CellQuery{SurveyID: v.Survey, Areas: areaIDs(list), Rounds: v.Rounds, Questions: []string{""}})
	if err != nil {
		return err
	}
	reached, err := s.store.HouseholdsReached(ctx, v.Rounds, v.Area.Path)
	if err != nil {
		return err
	}
	subtree, err := s.store.Subtree(ctx, v.Area.Code)
	if err != nil {
		return err
	}
	reply := coverageReply{counting: v.Counting, Area: v.Area, Round: v.Round, Rows: []coverageRow{}, Rounds: []store.Round{},
		Total: coverageRow{Area: areaRefOf(v.Area)}}
	// The totals count only the communities whose households are known.
	households, answered, visited := 0, 0, 0
	unitOf := map[string]int64{} // community path → id
	for _, a := range list {
		unitOf[a.Path] = a.ID
	}
	byUnit := map[int64]int{}
	for _, b := range subtree {
		// The nearest community on the path from b up: communities do not nest.
		for p := b.Path; p != ""; p = p[:strings.LastIndex(strings.TrimSuffix(p, "/"), "/")+1] {
			if id, ok := unitOf[p]; ok {
				byUnit[id] += reached[b.ID]
				break
			}
			if p == "/" {
				break
			}
		}
	}
	for _, a := range list {
		row := coverageRow{Area: areaRefOf(a), Households: a.Households, Respondents: cells.Sum(a.ID, "", nil).Respondents(),
			HouseholdsReached: byUnit[a.ID]}
		row.Coverage, row.AnswersPer100 = per100(row.HouseholdsReached, a.Households), per100(row.Respondents, a.Households)
		reply.Total.Respondents += row.Respondents
		reply.Total.HouseholdsReached += row.HouseholdsReached
		if a.Households != nil {
			households += *a.Households
			answered += row.Respondents
			visited += row.HouseholdsReached
		}
		reply.Rows = append(reply.Rows, row)
	}
	reply.Total.Households = &households
	reply.Total.Coverage, reply.Total.AnswersPer100 = per100(visited, &households), per100(answered, &households)
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

func per100(n int, households *int) *float64 {
	if households == nil || *households == 0 {
		return nil
	}
	x := 100 * float64(n) / float64(*households)
	return &x
}
