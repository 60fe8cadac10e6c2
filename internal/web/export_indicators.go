package web

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/survey"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// The sheets of the indicators workbook.
const (
	sheetChildren = "分区域指标"
	sheetTotals   = "汇总"
)

// exportIndicators handles GET /api/v1/export/indicators.xlsx: the by=children table
// of the indicators API as a workbook, with the same parameters. The first sheet has
// one row per child area; the second the area's own figures and what was exported.
func (s *Server) exportIndicators(c echo.Context) error {
	ctx := c.Request().Context()
	q, err := s.indicatorQuery(c)
	if err != nil {
		return err
	}
	root := q.Reply.Area
	children, err := s.store.Children(ctx, root.ID)
	if err != nil {
		return err
	}
	rows, err := s.indicatorRows(ctx, q, append([]area.Area{root}, children...))
	if err != nil {
		return err
	}
	book, err := s.indicatorBook(q, rows[0], childRowsOf(rows), principalOf(c), s.now())
	if err != nil {
		return err
	}
	defer book.Close()
	var buf bytes.Buffer
	if _, err := book.WriteTo(&buf); err != nil {
		return err
	}
	attachment(c, fmt.Sprintf("%s_指标_%s.xlsx", root.Name, roundLabel(q)),
		fmt.Sprintf("indicators_%s_%s.xlsx", root.Code, roundTag(q)))
	s.auditExport(c, "export.indicators_xlsx", root.Code,
		map[string]any{"survey": q.Reply.Survey, "round": roundParam(q), "rows": len(children)})
	return c.Blob(200, xlsxType, buf.Bytes())
}

// indicatorBook lays the figures out: one row per child area with, per indicator,
// rate, valid answers, the interval and a note; then the area's totals.
func (s *Server) indicatorBook(q *indicatorQuery, total indicatorRow, children []indicatorRow, p *principal, now time.Time) (*excelize.File, error) {
	f := excelize.NewFile()
	st, err := newBookStyles(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	// 汇总 comes first: it is what a reader opens the workbook for.
	if err := f.SetSheetName("Sheet1", sheetTotals); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.NewSheet(sheetChildren); err != nil {
		f.Close()
		return nil, err
	}
	headlines := headlineIndexes(q.Def.Indicators)
	header := []any{"区域代码", "区域名称", "答卷数"}
	for _, i := range headlines {
		header = append(header, cellText(q.Def.Indicators[i].Name+"排名"))
	}
	places := make([][]any, len(headlines))
	for k, i := range headlines {
		places[k] = placesOf(children, i)
	}
	for _, ind := range q.Def.Indicators {
		for _, h := range []string{"", "有效样本", "95%区间下限", "95%区间上限", "达标判定", "备注"} {
			header = append(header, cellText(ind.Name+h))
		}
	}
	header = append(header, "待审核（未计入）")
	sheet := [][]any{header}
	for _, r := range children {
		row := []any{cellText(r.Area.Code), cellText(r.Area.Name), r.Respondents}
		for k := range headlines {
			row = append(row, places[k][len(sheet)-1])
		}
		for _, res := range r.Indicators {
			row = append(row, resultCell(res, st), res.Valid, rateCell(res.CILow, st), rateCell(res.CIHigh, st),
				statusText(res), resultNote(r.Area, res))
		}
		row = append(row, r.Pending)
		sheet = append(sheet, row)
	}
	totals := [][]any{{"指标", "比率", "有效样本", "肯定回答", "95%区间下限", "95%区间上限", "目标", "达标判定", "备注"}}
	for _, res := range total.Indicators {
		totals = append(totals, []any{cellText(res.Name), resultCell(res, st), res.Valid, res.Positive,
			rateCell(res.CILow, st), rateCell(res.CIHigh, st), rateCell(res.Target, st), statusText(res), resultNote(total.Area, res)})
	}
	totals = append(totals, []any{})
	for i, note := range figureNotes(s.cfg.SmallSample) {
		label := ""
		if i == 0 {
			label = "说明"
		}
		totals = append(totals, []any{label, cellText(note)})
	}
	totals = append(totals, []any{"口径", cellText(viewLabel(q.View))})
	totals = append(totals, []any{"待审核答卷（未计入）", total.Pending})
	for _, kv := range s.exportNotes(q, total.Respondents, p, now) {
		totals = append(totals, []any{kv[0], cellText(kv[1])})
	}
	for _, sh := range []struct {
		name   string
		rows   [][]any
		freeze *excelize.Panes
	}{
		{sheetChildren, sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}},
		{sheetTotals, totals, nil},
	} {
		if err := writeSheet(f, sh.name, sh.rows, st.header, sh.freeze); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

type bookStyles struct{ header, percent int }

func newBookStyles(f *excelize.File) (bookStyles, error) {
	var st bookStyles
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return st, err
	}
	pct := "0.0%"
	st.percent, err = f.NewStyle(&excelize.Style{CustomNumFmt: &pct})
	return st, err
}

// rateCell is a rate that is not a fraction of counts (an interval edge, a target)
// as a percent-formatted number, stored rounded to 0.1% by the one rule so that the
// cell shows what the page prints, or "—" when undefined.
func rateCell(v *float64, st bookStyles) any {
	if v == nil {
		return "—"
	}
	return excelize.Cell{StyleID: st.percent, Value: stats.Rounded(stats.TenthsOf(*v))}
}

// resultCell is a figure's rate, rounded from its exact fraction, as rateCell stores it.
func resultCell(r stats.Result, st bookStyles) any {
	t, ok := r.Tenths()
	if !ok {
		return "—"
	}
	return excelize.Cell{StyleID: st.percent, Value: stats.Rounded(t)}
}

func statusText(r stats.Result) string {
	if r.TargetStatus == nil {
		return "—"
	}
	return r.TargetStatus.Label()
}

// resultNote flags a figure: 样本不足 (never ranked), 不纳入测评 (never ranked), 本级
// (the responses filed on the area itself).
func resultNote(a areaRef, r stats.Result) string {
	var notes []string
	if r.SmallSample {
		notes = append(notes, "样本不足")
	}
	if !a.InScope {
		notes = append(notes, "不纳入测评")
	}
	if a.Own {
		notes = append(notes, "本级")
	}
	return strings.Join(notes, "、")
}

// viewLabel names the figures' view in words.
func viewLabel(v figureView) string {
	out := "不加权（合并全部答卷）"
	if v.weighted() {
		out = "按户数加权（各末级区域比率按户数加权平均）"
	}
	if v.Respondent == "resident" {
		return out + "，仅本社区(村)常住居民"
	}
	return out + "，全部答卷人"
}

// exportNotes says what an export holds and who made it, as label and value pairs.
func (s *Server) exportNotes(q *indicatorQuery, respondents int, p *principal, now time.Time) [][2]string {
	channel := "全部渠道"
	if q.Reply.Channel != "" {
		channel = survey.Channel(q.Reply.Channel).Label()
	}
	dates := "全部日期"
	if q.Reply.From != "" || q.Reply.To != "" {
		dates = fmt.Sprintf("%s 至 %s", orDash(q.Reply.From), orDash(q.Reply.To))
	}
	who := p.Username
	if p.DisplayName != "" {
		who += "（" + p.DisplayName + "）"
	}
	return append([][2]string{
		{"区域", fmt.Sprintf("%s（%s）", q.Reply.Area.Name, q.Reply.Area.Code)},
		{"问卷", fmt.Sprintf("%s（%s，第 %d 版）", q.Def.Title, q.Reply.Survey, q.Def.Version)},
		{"轮次", roundLabel(q)},
		{"渠道", channel},
		{"日期范围", dates},
		{"答卷数", fmt.Sprint(respondents)},
		{"导出时间", s.exportTime(now)},
		{"导出人", who},
	}, q.Reply.counting.notes(s)...)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// writeSheet writes rows to a sheet, the first in bold, with sensible column widths.
func writeSheet(f *excelize.File, name string, rows [][]any, headerStyle int, freeze *excelize.Panes) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if freeze != nil {
		if err := sw.SetPanes(freeze); err != nil {
			return err
		}
	}
	if err := sw.SetColWidth(1, max(len(rows[0]), 2), 14); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 18); err != nil {
		return err
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		var opts []excelize.RowOpts
		if i == 0 {
			opts = append(opts, excelize.RowOpts{StyleID: headerStyle})
		}
		if err := sw.SetRow(cell, row, opts...); err != nil {
			return err
		}
	}
	return sw.Flush()
}
