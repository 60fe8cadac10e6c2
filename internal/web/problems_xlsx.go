package web

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"minyi/internal/privacy"
	"minyi/internal/problem"
	"minyi/internal/store"
)

// maxProblemRows bounds the problems one export holds.
const maxProblemRows = 100000

// Sheet names of the problem workbook.
const (
	sheetProblems       = "问题交办清单"
	sheetProblemFigures = "办结情况"
)

// exportProblemsXLSX handles GET /api/v1/export/problems.xlsx?area=CODE[&status=S]:
// the 问题交办清单 of an area of the caller's jurisdiction, overdue first, and the
// figures per child area. Every text cell is made inert (cellText) and phone numbers
// are masked. Audited as export.problems_xlsx.
func (s *Server) exportProblemsXLSX(c echo.Context) error {
	a, err := s.scopedArea(c, c.QueryParam("area"))
	if err != nil {
		return err
	}
	status := problem.Status(c.QueryParam("status"))
	if status != "" && !status.Valid() {
		return invalidParam("status", "status 应为 open、assigned、rectified 或 closed")
	}
	ctx := c.Request().Context()
	list, err := s.store.Problems(ctx, store.ProblemFilter{Path: a.Path, Status: status, Today: s.today(),
		Limit: maxProblemRows})
	if err != nil {
		return err
	}
	figures, err := s.problemFigures(ctx, a, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	f, err := s.problemBook(list, figures)
	if err != nil {
		return err
	}
	defer f.Close()
	day := s.now().In(s.cfg.Location).Format(time.DateOnly)
	attachment(c, fmt.Sprintf("问题交办清单-%s-%s.xlsx", a.Name, day), fmt.Sprintf("problems-%s-%s.xlsx", a.Code, day))
	c.Response().Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Response().WriteHeader(200)
	if err := f.Write(c.Response()); err != nil {
		return err
	}
	s.auditExport(c, "export.problems_xlsx", a.Code, map[string]any{"status": status, "rows": len(list)})
	return nil
}

// problemBook writes the workbook: the problems, and the figures per child area.
func (s *Server) problemBook(list []problem.Problem, figures problemStats) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheetProblems); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(sheetProblemFigures); err != nil {
		return nil, err
	}
	now, loc := s.now(), s.cfg.Location
	when := func(t *time.Time) any {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	yesNo := func(b *bool) string {
		switch {
		case b == nil:
			return ""
		case *b:
			return "是"
		}
		return "否"
	}
	text := func(v string) string { return cellText(privacy.MaskPhones(v)) }
	sheets := []sheetSpec{
		{sheetProblems, []any{"编号", "区域", "区域代码", "类别", "来源", "问题描述", "依据", "状态", "发现人", "发现时间",
			"承办单位", "承办人", "整改期限", "是否逾期", "逾期天数", "整改情况", "整改时间", "办结时间", "核验意见", "公开说明",
			"是否回访", "群众是否满意"},
			[]float64{7, 14, 15, 14, 12, 40, 30, 12, 10, 16, 14, 10, 12, 8, 8, 30, 16, 16, 24, 30, 8, 10},
			func(add func([]any) error) error {
				for _, p := range list {
					fact := p.Fact()
					due, overdue := "", ""
					if p.Due != nil {
						due = p.Due.Format(time.DateOnly)
						overdue = yesNo(ptrTo(fact.Overdue(now, loc)))
					}
					var late any = ""
					if n := fact.DaysOverdue(now, loc); n > 0 {
						late = n
					}
					contacted := ""
					if p.Status == problem.Closed {
						contacted = yesNo(&p.Contacted)
					}
					err := add([]any{p.ID, cellText(p.AreaName), p.AreaCode, cellText(p.Category), p.Source.Label(),
						text(p.Description), text(p.Evidence), p.Status.Label(), cellText(p.RaisedBy), when(&p.RaisedAt),
						cellText(p.UnitName), text(p.Assignee), due, overdue, late, text(p.RectifyNote),
						when(p.RectifiedAt), when(p.ClosedAt), text(p.CloseNote), text(p.PublicNote), contacted,
						yesNo(p.Satisfied)})
					if err != nil {
						return err
					}
				}
				return nil
			}},
		{sheetProblemFigures, []any{"区域", "区域代码", "问题数", "已办结", "办结率", "按期办结", "应按期办结", "按期办结率",
			"逾期未办结", "办结用时中位数（天）", "已回访", "群众满意", "表态数", "群众满意率"},
			[]float64{16, 15, 8, 8, 9, 9, 10, 10, 10, 18, 8, 8, 8, 10},
			func(add func([]any) error) error {
				rows := append(figures.Rows, problemStatRow{Area: placeRef{figures.Area.Code, figures.Area.Name + "合计"},
					Figures: figures.Total})
				for _, r := range rows {
					var median any = ""
					if r.MedianDays != nil {
						median = *r.MedianDays
					}
					err := add([]any{cellText(r.Area.Name), r.Area.Code, r.Total, r.Closed, fracPct(r.Closed, r.Total),
						r.OnTime, r.OnTimeBase, fracPct(r.OnTime, r.OnTimeBase), r.Overdue, median, r.Contacted,
						r.Satisfied, r.SatisfiedBase, fracPct(r.Satisfied, r.SatisfiedBase)})
					if err != nil {
						return err
					}
				}
				return nil
			}},
	}
	return f, writeSheets(f, sheets)
}

func ptrTo[T any](v T) *T { return &v }

// sheetSpec is one sheet of a streamed workbook: its header, column widths and rows.
type sheetSpec struct {
	name   string
	header []any
	widths []float64
	rows   func(add func([]any) error) error
}

// writeSheets streams the sheets into f, each with a frozen header row.
func writeSheets(f *excelize.File, sheets []sheetSpec) error {
	for _, sh := range sheets {
		sw, err := f.NewStreamWriter(sh.name)
		if err != nil {
			return err
		}
		for i, w := range sh.widths {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", sh.header); err != nil {
			return err
		}
		n := 1
		err = sh.rows(func(values []any) error {
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n)
			return sw.SetRow(cell, values)
		})
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
