package web

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"minyi/internal/privacy"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// responsesExport is a resolved request for the responses of a round in a subtree.
type responsesExport struct {
	q      *indicatorQuery
	filter store.ResponseFilter
	empty  bool // the survey never had a round: nothing to list
}

// flushEvery is how many rows a streamed export writes between flushes.
const flushEvery = 500

// responsesExportOf reads the same parameters as the indicators API, except that the
// round must be one round: the responses of different rounds may answer different
// versions of the survey.
func (s *Server) responsesExportOf(c echo.Context) (*responsesExport, error) {
	if c.QueryParam("round") == "all" {
		return nil, invalidParam("round", "导出答卷请指定一个轮次")
	}
	q, err := s.indicatorQuery(c)
	if err != nil {
		return nil, err
	}
	x := &responsesExport{q: q, empty: q.Reply.Round == nil,
		filter: store.ResponseFilter{AreaPath: q.Reply.Area.Path, Channel: q.Filter.Channel, From: q.Filter.From, To: q.Filter.To}}
	if !x.empty {
		x.filter.RoundID = q.Reply.Round.ID
	}
	return x, nil
}

// header names the columns: when, where, how and which round, then every question
// (a multiple-choice question's column followed by one 0/1 column per option, as
// KoboToolbox and ODK export them, named question/option), then whether the response
// is counted (held and rejected ones are not in the figures).
func (x *responsesExport) header() []string {
	h := []string{"提交时间", "区域代码", "区域", "渠道", "轮次"}
	for _, q := range x.q.Def.Questions {
		h = append(h, cellText(q.ID+" "+q.Text))
		if q.Type == survey.Multi {
			for _, o := range q.Options {
				h = append(h, cellText(q.ID+"/"+o.ID+" "+o.Text))
			}
		}
	}
	return append(h, "审核状态")
}

// optionColumns marks the columns of header that hold 0/1 per option.
func (x *responsesExport) optionColumns() []bool {
	marks := make([]bool, 5, len(x.header()))
	for _, q := range x.q.Def.Questions {
		marks = append(marks, false)
		if q.Type == survey.Multi {
			for range q.Options {
				marks = append(marks, true)
			}
		}
	}
	return marks
}

// record is one response as a row: answers as option text, multiple choices joined
// with 、, phone numbers masked, every cell inert in a spreadsheet.
func (s *Server) record(x *responsesExport, r store.ExportedResponse) []string {
	row := []string{s.exportWhen(r), cellText(r.AreaCode), cellText(r.AreaName),
		r.Channel.Label(), cellText(roundLabel(x.q))}
	for i := range x.q.Def.Questions {
		q := &x.q.Def.Questions[i]
		v := r.Answers[q.ID]
		row = append(row, cellText(answerText(q, v)))
		if q.Type == survey.Multi {
			row = append(row, optionFlags(q, v)...)
		}
	}
	return append(row, statusLabels[r.Status])
}

// optionFlags is a multiple-choice answer as one cell per option: 1 chosen, 0 not,
// all blank when the question was not answered.
func optionFlags(q *survey.Question, v any) []string {
	chosen, _ := v.([]any)
	out := make([]string, len(q.Options))
	for i, o := range q.Options {
		switch {
		case v == nil:
		case slices.Contains(chosen, any(o.ID)):
			out[i] = "1"
		default:
			out[i] = "0"
		}
	}
	return out
}

// exportWhen is when a response came in, as precisely as its grain allows: the time
// of a resident's own answer; the day, the week or only the round of a door-to-door
// one (see store.Grain).
func (s *Server) exportWhen(r store.ExportedResponse) string {
	switch r.Grain {
	case store.GrainTime:
		return s.exportTime(r.SubmittedAt)
	case store.GrainDay:
		return r.Period.Format(time.DateOnly)
	case store.GrainWeek:
		return r.Period.Format(time.DateOnly) + " 至 " + r.Period.AddDate(0, 0, 6).Format(time.DateOnly)
	}
	return "本轮内"
}

// answerText is an answer as a reader sees it.
func answerText(q *survey.Question, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		if q.Type == survey.Text {
			return privacy.MaskPhones(v)
		}
		return optionText(q, v)
	case []any:
		texts := make([]string, 0, len(v))
		for _, o := range q.Options { // in the questionnaire's order
			for _, id := range v {
				if id == o.ID {
					texts = append(texts, o.Text)
				}
			}
		}
		return strings.Join(texts, "、")
	}
	return fmt.Sprint(v)
}

func optionText(q *survey.Question, id string) string {
	if o, ok := q.Option(id); ok {
		return o.Text
	}
	return id
}

// exportResponsesCSV handles GET /api/v1/export/responses.csv: one row per response
// of the round in the area's subtree, streamed as UTF-8 CSV with a byte order mark so
// that Excel reads the Chinese right.
func (s *Server) exportResponsesCSV(c echo.Context) error {
	x, err := s.responsesExportOf(c)
	if err != nil {
		return err
	}
	a := x.q.Reply.Area
	attachment(c, fmt.Sprintf("%s_答卷_%s.csv", a.Name, roundLabel(x.q)),
		fmt.Sprintf("responses_%s_%s.csv", a.Code, roundTag(x.q)))
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.WriteHeader(http.StatusOK)
	n, err := s.writeResponsesCSV(c.Request().Context(), res, res.Flush, x)
	s.auditExport(c, "export.responses_csv", a.Code, map[string]any{"survey": x.q.Reply.Survey, "round": roundParam(x.q), "rows": n})
	return s.abortStream(c, err)
}

// writeResponsesCSV writes the export to w, flushing every flushEvery rows, and
// returns the number of responses written. Rows go out as the database yields them,
// so memory does not grow with their number.
func (s *Server) writeResponsesCSV(ctx context.Context, w io.Writer, flush func(), x *responsesExport) (int, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(x.header()); err != nil {
		return 0, err
	}
	n := 0
	if !x.empty {
		err := s.store.EachResponse(ctx, x.filter, func(r store.ExportedResponse) error {
			if err := cw.Write(s.record(x, r)); err != nil {
				return err
			}
			n++
			if n%flushEvery == 0 {
				cw.Flush()
				flush()
			}
			return cw.Error()
		})
		if err != nil {
			return n, err
		}
	}
	cw.Flush()
	flush()
	return n, cw.Error()
}

// errTooManyRows refuses an XLSX export larger than a worksheet can hold.
var errTooManyRows = newError(http.StatusUnprocessableEntity, "too_many_rows",
	"答卷数超过 Excel 工作表的行数上限，请按渠道或日期分批导出，或改用 CSV 导出")

// exportResponsesXLSX handles GET /api/v1/export/responses.xlsx: the rows of the CSV
// export as a workbook. Rows go through excelize's stream writer, which keeps them on
// disk rather than in memory until the file is sent.
func (s *Server) exportResponsesXLSX(c echo.Context) error {
	x, err := s.responsesExportOf(c)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "答卷"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 20); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	numeric := x.optionColumns()
	if err := sw.SetRow("A1", cells(x.header(), nil)); err != nil {
		return err
	}
	n := 0
	if !x.empty {
		err = s.store.EachResponse(c.Request().Context(), x.filter, func(r store.ExportedResponse) error {
			if n+2 > excelize.TotalRows {
				return errTooManyRows
			}
			cell, _ := excelize.CoordinatesToCellName(1, n+2)
			n++
			return sw.SetRow(cell, cells(s.record(x, r), numeric))
		})
		if err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	a := x.q.Reply.Area
	attachment(c, fmt.Sprintf("%s_答卷_%s.xlsx", a.Name, roundLabel(x.q)),
		fmt.Sprintf("responses_%s_%s.xlsx", a.Code, roundTag(x.q)))
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, xlsxType)
	res.WriteHeader(http.StatusOK)
	_, err = f.WriteTo(res)
	s.auditExport(c, "export.responses_xlsx", a.Code, map[string]any{"survey": x.q.Reply.Survey, "round": roundParam(x.q), "rows": n})
	return s.abortStream(c, err)
}

// cells is a row for a worksheet: text, except numbers in the columns marked in
// numeric, which a spreadsheet can then sum.
func cells(row []string, numeric []bool) []any {
	out := make([]any, len(row))
	for i, v := range row {
		out[i] = v
		if i < len(numeric) && numeric[i] && v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				out[i] = n
			}
		}
	}
	return out
}

// abortStream ends a download that failed after it started: the status line is gone,
// so the connection is cut, and the client sees a broken download rather than a file
// that looks complete.
func (s *Server) abortStream(c echo.Context, err error) error {
	if err == nil {
		return nil
	}
	level := slog.LevelError
	if errors.Is(err, context.Canceled) {
		level = slog.LevelInfo // the client hung up
	}
	s.log.Log(c.Request().Context(), level, "export stopped while streaming", "path", c.Request().URL.Path,
		"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
	panic(http.ErrAbortHandler)
}
