package web

import (
	"context"
	"time"

	"minyi/internal/area"
	"minyi/internal/store"
)

// bulletinProblems is the bulletin's 问题交办与整改 section: how the area and each of
// its children deal with their problems so far, and the overdue ones by name.
type bulletinProblems struct {
	Rows    []bulletinProblemRow
	Total   bulletinProblemRow
	Overdue []bulletinOverdue
	More    int // overdue problems beyond those listed
}

type bulletinProblemRow struct {
	Area                                  string
	Total, Closed, Overdue                int
	ClosureRate, OnTimeRate, Satisfaction string
}

type bulletinOverdue struct {
	ID                  int64
	Unit, Category, Due string
	Days                int
}

// bulletinOverdueMax is how many overdue problems the bulletin names.
const bulletinOverdueMax = 15

// bulletinProblemsOf gathers the section from the figures the dashboard shows.
func (s *Server) bulletinProblemsOf(ctx context.Context, root area.Area) (*bulletinProblems, error) {
	st, err := s.problemFigures(ctx, root, time.Time{}, time.Time{})
	if err != nil {
		return nil, err
	}
	row := func(name string, r problemStatRow) bulletinProblemRow {
		return bulletinProblemRow{Area: name, Total: r.Total, Closed: r.Closed, Overdue: r.Overdue,
			ClosureRate: fracPct(r.Closed, r.Total), OnTimeRate: fracPct(r.OnTime, r.OnTimeBase),
			Satisfaction: fracPct(r.Satisfied, r.SatisfiedBase)}
	}
	out := &bulletinProblems{Total: row("合计", problemStatRow{Figures: st.Total})}
	for _, r := range st.Rows {
		out.Rows = append(out.Rows, row(r.Area.Name, r))
	}
	list, err := s.store.Problems(ctx, store.ProblemFilter{Path: root.Path, Overdue: true, Today: s.today(),
		Limit: bulletinOverdueMax})
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		out.Overdue = append(out.Overdue, bulletinOverdue{ID: p.ID, Unit: p.UnitName, Category: p.Category,
			Due: p.Due.Format(time.DateOnly), Days: p.Fact().DaysOverdue(s.now(), s.cfg.Location)})
	}
	out.More = max(st.Total.Overdue-len(out.Overdue), 0)
	return out, nil
}
