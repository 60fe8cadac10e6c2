package web

import (
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"minyi/internal/store"
)

// maxLedgerRows bounds the visits one ledger export holds.
const maxLedgerRows = 200000

// Sheet names of the ledger workbook.
const (
	sheetLedger     = "入户台账"
	sheetCoverage   = "覆盖情况"
	sheetVolunteers = "志愿者统计"
)

// ledgerXLSX handles GET /api/v1/export/ledger.xlsx?survey=S&area=CODE[&round=ID]:
// the visit ledger of a round in the caller's jurisdiction, with the coverage per
// community and building and the figures per volunteer. Audited as
// export.ledger_xlsx.
func (s *Server) ledgerXLSX(c echo.Context) error {
	q, err := s.ledgerQuery(c)
	if err != nil {
		return err
	}
	rows, err := s.store.Ledger(c.Request().Context(), q.Round.ID, q.Area.Path, maxLedgerRows)
	if err != nil {
		return err
	}
	cover, err := s.coverageOf(c, q)
	if err != nil {
		return err
	}
	f, err := s.ledgerBook(rows, cover)
	if err != nil {
		return err
	}
	defer f.Close()
	attachment(c, fmt.Sprintf("入户台账-%s-%s.xlsx", q.Area.Name, q.Round.Name),
		fmt.Sprintf("ledger-%s-round%d.xlsx", q.Area.Code, q.Round.ID))
	c.Response().Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Response().WriteHeader(200)
	if err := f.Write(c.Response()); err != nil {
		return err
	}
	s.auditExport(c, "export.ledger_xlsx", q.Area.Code,
		map[string]any{"survey": q.Survey, "round": q.Round.ID, "rows": len(rows)})
	return nil
}

// ledgerBook writes the workbook: the visits, the coverage and the volunteers'
// figures, one sheet each, every text from users made inert (cellText).
func (s *Server) ledgerBook(rows []store.LedgerRow, cover visitCoverageReply) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheetLedger); err != nil {
		return nil, err
	}
	for _, name := range []string{sheetCoverage, sheetVolunteers} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	sheets := []struct {
		name   string
		header []any
		widths []float64
		rows   func(add func([]any) error) error
	}{
		{sheetLedger, []any{"日期", "时段", "村居", "区域", "区域代码", "住户", "楼栋", "单元", "房号", "志愿者", "账号", "入户结果"},
			[]float64{12, 8, 16, 16, 15, 16, 8, 8, 8, 12, 14, 10},
			func(add func([]any) error) error {
				for _, r := range rows {
					err := add([]any{r.Day, r.VisitedAt.In(s.cfg.Location).Format("15:00"), cellText(r.Community),
						cellText(r.AreaName), r.AreaCode, cellText(r.Household), cellText(r.Building), cellText(r.Unit),
						cellText(r.Room), cellText(r.DisplayName), r.Username, r.Outcome.Label()})
					if err != nil {
						return err
					}
				}
				return nil
			}},
		{sheetCoverage, []any{"区域代码", "村居", "楼栋", "户数", "已走访", "已完成", "拒访", "不在家", "需回访", "走访率", "完成率"},
			[]float64{15, 16, 10, 8, 8, 8, 8, 8, 8, 9, 9},
			func(add func([]any) error) error {
				for _, r := range cover.Communities {
					building := ""
					if r.IsBuilding {
						building = r.Building
						if building == "" {
							building = "未登记楼栋"
						}
					}
					var total, visited, done any = "", "", ""
					if r.Households != nil && *r.Households > 0 {
						total = *r.Households
						visited = float64(r.Visited) / float64(*r.Households)
						done = float64(r.Completed) / float64(*r.Households)
					}
					err := add([]any{r.AreaCode, cellText(r.AreaName), cellText(building), total, r.Visited, r.Completed,
						r.Refused, r.NotHome, r.Revisit, visited, done})
					if err != nil {
						return err
					}
				}
				return nil
			}},
		{sheetVolunteers, []any{"账号", "姓名", "日期", "入户问卷", "纸质录入", "访谈时长中位数（秒）", "待审核", "其中过密", "其中非名单", "不足1分钟"},
			[]float64{14, 12, 12, 10, 10, 20, 8, 10, 10, 10},
			func(add func([]any) error) error {
				for _, v := range cover.Volunteers {
					day := v.Day
					if day == "" {
						day = "本轮合计"
					}
					var median any = ""
					if v.Median != nil {
						median = *v.Median
					}
					if err := add([]any{v.Username, cellText(v.DisplayName), day, v.Entries, v.Paper, median,
						v.Flagged, v.Burst, v.Unlisted, v.Fast}); err != nil {
						return err
					}
				}
				return nil
			}},
	}
	for _, sh := range sheets {
		sw, err := f.NewStreamWriter(sh.name)
		if err != nil {
			return nil, err
		}
		for i, w := range sh.widths {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return nil, err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		if err := sw.SetRow("A1", sh.header); err != nil {
			return nil, err
		}
		n := 1
		err = sh.rows(func(values []any) error {
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n)
			return sw.SetRow(cell, values)
		})
		if err != nil {
			return nil, err
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	return f, nil
}
