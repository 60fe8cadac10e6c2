package web

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// figureView is which figures a request asks for, named in every reply that carries
// figures: weighted by households or not, every respondent or residents only.
type figureView struct {
	Weight     string `json:"weight"`     // none (default) or households
	Respondent string `json:"respondent"` // all (default) or resident
}

func (v figureView) weighted() bool { return v.Weight == "households" }

// viewOf reads the weight and respondent parameters.
func viewOf(c echo.Context) (figureView, error) {
	v := figureView{Weight: c.QueryParam("weight"), Respondent: c.QueryParam("respondent")}
	switch v.Weight {
	case "":
		v.Weight = "none"
	case "none", "households":
	default:
		return v, invalidParam("weight", "weight 只能为 none 或 households")
	}
	switch v.Respondent {
	case "":
		v.Respondent = "all"
	case "all", "resident":
	default:
		return v, invalidParam("respondent", "respondent 只能为 all 或 resident")
	}
	return v, nil
}

// checkView refuses the residents-only view of a survey that names no resident answer.
func checkView(v figureView, def *survey.Definition) error {
	if v.Respondent == "resident" && def.Resident == nil {
		return &apiError{Status: 400, Code: "unsupported_view", Message: "该问卷未指定“常住居民”选项，无法只统计常住居民"}
	}
	return nil
}

// residentQuestions are the counters of the residents-only view of the given
// questions, respondents included.
func residentQuestions(questions []string) []string {
	out := []string{store.ResidentPrefix}
	for _, q := range questions {
		out = append(out, store.ResidentPrefix+q)
	}
	return out
}

// residentsOnly keeps the residents' counters of c, under their questions' own ids.
func residentsOnly(c store.Counts) store.Counts {
	out := store.Counts{}
	for q, options := range c {
		if id, ok := strings.CutPrefix(q, store.ResidentPrefix); ok {
			out[id] = options
		}
	}
	return out
}

// figures computes the indicator figures of a set of areas in one view, from one read
// of the counters.
type figures struct {
	view   figureView
	cells  store.Cells
	leaves map[int64][]area.Area // per area read, the leaves of its subtree with households (weighted view)
	small  int
}

// readFigures reads the counts of the given areas (and, in the weighted view, of the
// leaves of their subtrees, all within root's) that q selects.
func (s *Server) readFigures(ctx context.Context, view figureView, q store.CellQuery, root area.Area, areas []area.Area) (*figures, error) {
	f := &figures{view: view, small: s.cfg.SmallSample}
	q.Areas = areaIDs(areas)
	if view.Respondent == "resident" && len(q.Questions) > 0 {
		q.Questions = residentQuestions(q.Questions)
	}
	if view.weighted() {
		subtree, err := s.store.Subtree(ctx, root.Code)
		if err != nil {
			return nil, err
		}
		f.leaves = leavesOf(subtree, areas)
		for _, list := range f.leaves {
			q.Areas = append(q.Areas, areaIDs(list)...)
		}
	}
	var err error
	f.cells, err = s.store.Cells(ctx, q)
	return f, err
}

// leavesOf returns, for each of areas, the leaves (areas without children) of its
// subtree that declare households.
func leavesOf(subtree, areas []area.Area) map[int64][]area.Area {
	parents := map[string]bool{}
	for _, a := range subtree {
		parents[a.ParentCode] = true
	}
	out := map[int64][]area.Area{}
	for _, a := range subtree {
		if parents[a.Code] || a.Households == nil || *a.Households <= 0 {
			continue
		}
		for _, r := range areas {
			if strings.HasPrefix(a.Path, r.Path) {
				out[r.ID] = append(out[r.ID], a)
			}
		}
	}
	return out
}

// counts sums an area's counts over the given rounds (nil: every round read) through
// one channel ("": every channel).
func (f *figures) counts(areaID int64, channel string, rounds []int64) store.Counts {
	c := f.cells.Sum(areaID, channel, rounds)
	if f.view.Respondent == "resident" {
		return residentsOnly(c)
	}
	return c
}

// result computes an indicator of an area: pooled over its subtree, or weighted by the
// households of its leaves.
func (f *figures) result(ind survey.Indicator, a area.Area, channel string, rounds []int64) stats.Result {
	if !f.view.weighted() {
		return stats.Compute(ind, f.counts(a.ID, channel, rounds)[ind.Question], f.small)
	}
	var leaves []stats.Leaf
	for _, l := range f.leaves[a.ID] {
		p, v := stats.Count(ind, f.counts(l.ID, channel, rounds)[ind.Question])
		leaves = append(leaves, stats.Leaf{Positive: p, Valid: v, Households: *l.Households})
	}
	return stats.OfWeighted(ind, leaves, f.small)
}
