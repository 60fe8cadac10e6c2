package web

import (
	"fmt"
	"slices"

	"github.com/labstack/echo/v4"

	"minyi/internal/stats"
)

// standout is a checklist category that residents of a child area name significantly
// more often than those of its siblings: the lower end of its 95% interval lies
// above the siblings' pooled share.
type standout struct {
	Area     placeRef `json:"area"`
	Option   string   `json:"option"`
	Category string   `json:"category"`
	Chosen   int      `json:"chosen"`
	Answered int      `json:"answered"`
	Share    float64  `json:"share"`
	CILow    float64  `json:"ci_low"`
	CIHigh   float64  `json:"ci_high"`
	Pooled   float64  `json:"pooled"` // the siblings' share, p0
	Evidence string   `json:"evidence"`
}

type standoutsReply struct {
	Area      placeRef   `json:"area"`
	Question  string     `json:"question"`
	Standouts []standout `json:"standouts"`
}

// problemStandouts handles GET /api/v1/problems/standouts?survey=S&area=CODE[&round=ID]:
// the checklist categories that stand out in the area's children in a round, the
// largest excess first, each with the evidence a problem raised from it carries. A
// share's base is the respondents who answered the checklist; children with fewer
// valid answers than MINYI_SMALL_SAMPLE and those out of scope are left out.
func (s *Server) problemStandouts(c echo.Context) error {
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	reply := standoutsReply{Area: placeRef{v.Area.Code, v.Area.Name}, Standouts: []standout{}}
	q := checklistOf(v.Def)
	if q == nil || v.Round == nil {
		return c.JSON(200, reply)
	}
	reply.Question = q.Text
	ctx := c.Request().Context()
	counts, err := s.store.ChecklistCounts(ctx, v.Area.ID, v.Round.ID, q.ID)
	if err != nil {
		return err
	}
	children, err := s.store.Children(ctx, v.Area.ID)
	if err != nil {
		return err
	}
	byArea := map[int64]map[string]int{}
	for _, n := range counts {
		if byArea[n.AreaID] == nil {
			byArea[n.AreaID] = map[string]int{}
		}
		byArea[n.AreaID][n.Option] = n.N
	}
	pooled, base := map[string]int{}, 0
	for _, ch := range children {
		if !ch.InScope {
			continue
		}
		for o, n := range byArea[ch.ID] {
			pooled[o] += n
		}
		base += byArea[ch.ID][""]
	}
	if base == 0 {
		return c.JSON(200, reply)
	}
	for _, ch := range children {
		m := byArea[ch.ID]
		answered := m[""]
		if !ch.InScope || answered < s.cfg.SmallSample {
			continue
		}
		for _, o := range q.Options {
			p0 := float64(pooled[o.ID]) / float64(base)
			low, high, _ := stats.Wilson(m[o.ID], answered)
			if low <= p0 {
				continue
			}
			reply.Standouts = append(reply.Standouts, standout{Area: placeRef{ch.Code, ch.Name}, Option: o.ID,
				Category: o.Text, Chosen: m[o.ID], Answered: answered, Share: float64(m[o.ID]) / float64(answered),
				CILow: low, CIHigh: high, Pooled: p0,
				Evidence: fmt.Sprintf("%s：%s有 %s 的受访者（%d/%d，95%%区间 %s–%s）认为“%s”最需要解决，%s下级区域合计为 %s（%d/%d）",
					v.Round.Name, ch.Name, fracPct(m[o.ID], answered), m[o.ID], answered, floatPct(low), floatPct(high),
					o.Text, v.Area.Name, fracPct(pooled[o.ID], base), pooled[o.ID], base)})
		}
	}
	slices.SortStableFunc(reply.Standouts, func(a, b standout) int {
		da, db := a.CILow-a.Pooled, b.CILow-b.Pooled
		switch {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// fracPct prints a/b as a percentage with one decimal, rounded half up on the exact
// fraction (13/16 is 81.3%); "—" when b is 0.
func fracPct(a, b int) string {
	if b <= 0 {
		return "—"
	}
	tenths := (2000*int64(a) + int64(b)) / (2 * int64(b))
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}

// floatPct prints an interval limit as a percentage with one decimal.
func floatPct(x float64) string {
	return fmt.Sprintf("%.1f%%", x*100)
}
