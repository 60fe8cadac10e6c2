package web

import (
	"context"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/problem"
)

// problemStats are the problem figures of an area and of each of its children.
type problemStats struct {
	Area  placeRef         `json:"area"`
	From  string           `json:"from,omitempty"`
	To    string           `json:"to,omitempty"`
	Total problem.Figures  `json:"total"`
	Rows  []problemStatRow `json:"rows"`
}

// problemStatRow is one child area's figures; Own is the row of problems located on
// the area itself rather than below it (e.g. 街道本级).
type problemStatRow struct {
	Area placeRef `json:"area"`
	Own  bool     `json:"own"`
	problem.Figures
}

// problemStatsHandler handles GET /api/v1/problems/stats?area=CODE[&from&to]: per
// child area, how its problems (raised on the local days from..to) are dealt with.
func (s *Server) problemStatsHandler(c echo.Context) error {
	a, err := s.scopedArea(c, c.QueryParam("area"))
	if err != nil {
		return err
	}
	var from, to time.Time
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := c.QueryParam(d.name); v != "" {
			t, err := problem.ParseDay(v)
			if err != nil {
				return invalidParam(d.name, "日期应为 YYYY-MM-DD")
			}
			*d.dst = t
		}
	}
	st, err := s.problemFigures(c.Request().Context(), a, from, to)
	if err != nil {
		return err
	}
	st.From, st.To = c.QueryParam("from"), c.QueryParam("to")
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, st)
}

// problemFigures computes the figures of an area and its children at the server's
// now: the one computation the API, the dashboard and the bulletin share.
func (s *Server) problemFigures(ctx context.Context, a area.Area, from, to time.Time) (problemStats, error) {
	out := problemStats{Area: placeRef{a.Code, a.Name}, Rows: []problemStatRow{}}
	facts, err := s.store.ProblemFacts(ctx, a.Path, from, to)
	if err != nil {
		return out, err
	}
	children, err := s.store.Children(ctx, a.ID)
	if err != nil {
		return out, err
	}
	groups := make([][]problem.Fact, len(children)+1) // the last: the area's own
	all := make([]problem.Fact, 0, len(facts))
	for _, f := range facts {
		all = append(all, f.Fact)
		i := len(children)
		for k, ch := range children {
			if strings.HasPrefix(f.AreaPath, ch.Path) {
				i = k
				break
			}
		}
		groups[i] = append(groups[i], f.Fact)
	}
	now, loc := s.now(), s.cfg.Location
	out.Total = problem.Summarize(all, now, loc)
	for k, ch := range children {
		out.Rows = append(out.Rows, problemStatRow{Area: placeRef{ch.Code, ch.Name},
			Figures: problem.Summarize(groups[k], now, loc)})
	}
	if own := groups[len(children)]; len(own) > 0 {
		out.Rows = append(out.Rows, problemStatRow{Area: placeRef{a.Code, a.Name + "本级"}, Own: true,
			Figures: problem.Summarize(own, now, loc)})
	}
	return out, nil
}
