package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// ledgerQuery is what the coverage and ledger views are about: a survey's round (the
// open one, else the latest, unless round=ID) in an area of the caller's jurisdiction.
type ledgerQuery struct {
	Survey string      `json:"survey"`
	Round  store.Round `json:"round"`
	Area   area.Area   `json:"area"`
}

func (s *Server) ledgerQuery(c echo.Context) (ledgerQuery, error) {
	ctx := c.Request().Context()
	q := ledgerQuery{Survey: c.QueryParam("survey")}
	if q.Survey == "" {
		return q, invalidParam("survey", "请指定问卷")
	}
	var err error
	if q.Area, err = s.scopedArea(c, c.QueryParam("area")); err != nil {
		return q, err
	}
	switch p := c.QueryParam("round"); p {
	case "":
		q.Round, err = s.store.CurrentOrLatestRound(ctx, q.Survey, s.now())
	default:
		id, perr := strconv.ParseInt(p, 10, 64)
		if perr != nil {
			return q, invalidParam("round", "轮次应为编号")
		}
		q.Round, err = s.store.Round(ctx, q.Survey, id)
	}
	return q, err
}

type visitCoverageReply struct {
	ledgerQuery
	Communities []store.CoverageRow  `json:"communities"`
	Volunteers  []store.VolunteerDay `json:"volunteers"`
}

// visitCoverage handles GET /api/v1/ledger/coverage?survey=S[&area=CODE][&round=ID]:
// per community and building, households visited and completed against the total;
// per account, entries per day, median interview duration and entries flagged for
// review.
func (s *Server) visitCoverage(c echo.Context) error {
	q, err := s.ledgerQuery(c)
	if err != nil {
		return err
	}
	reply, err := s.coverageOf(c, q)
	if err != nil {
		return err
	}
	return c.JSON(200, reply)
}

func (s *Server) coverageOf(c echo.Context, q ledgerQuery) (visitCoverageReply, error) {
	ctx := c.Request().Context()
	reply := visitCoverageReply{ledgerQuery: q}
	var err error
	if reply.Communities, err = s.store.Coverage(ctx, q.Round.ID, q.Area.Path); err != nil {
		return reply, err
	}
	if reply.Volunteers, err = s.store.VolunteerStats(ctx, q.Round.ID, q.Area.Path); err != nil {
		return reply, err
	}
	if reply.Communities == nil {
		reply.Communities = []store.CoverageRow{}
	}
	if reply.Volunteers == nil {
		reply.Volunteers = []store.VolunteerDay{}
	}
	return reply, nil
}

type ledgerReply struct {
	ledgerQuery
	Rows      []store.LedgerRow `json:"rows"`
	Truncated bool              `json:"truncated"`
}

// ledger handles GET /api/v1/ledger?survey=S[&area=CODE][&round=ID][&limit=N]: the
// visits of the round in the area's subtree, newest first (at most 1000 unless
// limit says otherwise, up to 10000).
func (s *Server) ledger(c echo.Context) error {
	q, err := s.ledgerQuery(c)
	if err != nil {
		return err
	}
	limit := 1000
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit <= 0 || limit > 10000 {
			return invalidParam("limit", "limit 应为 1–10000")
		}
	}
	rows, err := s.store.Ledger(c.Request().Context(), q.Round.ID, q.Area.Path, limit+1)
	if err != nil {
		return err
	}
	reply := ledgerReply{ledgerQuery: q, Rows: rows[:min(len(rows), limit)], Truncated: len(rows) > limit}
	if reply.Rows == nil {
		reply.Rows = []store.LedgerRow{}
	}
	return c.JSON(200, reply)
}

// ledgerPageData is what the coverage and ledger page shows.
type ledgerPageData struct {
	Surveys    []store.SurveySummary
	Rounds     []store.Round
	Query      ledgerQuery
	Areas      []areaOption
	Coverage   []coverageLine
	Volunteers []volunteerLine
	Rows       []store.LedgerRow
	More       bool
	Error      string
}

// coverageLine is a row of the coverage table with its rates written out.
type coverageLine struct {
	store.CoverageRow
	VisitedRate, CompletedRate string
}

// volunteerLine is a row of the volunteers' table with the median written out.
type volunteerLine struct {
	store.VolunteerDay
	MedianText string
}

func coverageLines(rows []store.CoverageRow) []coverageLine {
	out := make([]coverageLine, len(rows))
	for i, r := range rows {
		out[i] = coverageLine{CoverageRow: r, VisitedRate: "—", CompletedRate: "—"}
		if r.Households != nil && *r.Households > 0 {
			out[i].VisitedRate = fmt.Sprintf("%.1f%%", 100*float64(r.Visited)/float64(*r.Households))
			out[i].CompletedRate = fmt.Sprintf("%.1f%%", 100*float64(r.Completed)/float64(*r.Households))
		}
	}
	return out
}

func volunteerLines(rows []store.VolunteerDay) []volunteerLine {
	out := make([]volunteerLine, len(rows))
	for i, r := range rows {
		out[i] = volunteerLine{VolunteerDay: r, MedianText: "—"}
		if r.Median != nil {
			out[i].MedianText = fmt.Sprintf("%d分%02d秒", *r.Median/60, *r.Median%60)
		}
	}
	return out
}

const ledgerShown = 300

// ledgerPage handles GET /ledger[?survey=S][&area=CODE][&round=ID].
func (s *Server) ledgerPage(c echo.Context) error {
	ctx := c.Request().Context()
	var data ledgerPageData
	var err error
	if data.Surveys, err = s.store.Surveys(ctx, s.now()); err != nil {
		return err
	}
	if data.Areas, err = s.areaOptions(c); err != nil {
		return err
	}
	if len(data.Surveys) == 0 {
		data.Error = "尚未导入问卷，暂无入户记录"
		return s.renderStaff(c, http.StatusOK, "v_ledger.html", "ledger", "入户台账", data)
	}
	qs := c.QueryParams()
	if qs.Get("survey") == "" {
		qs.Set("survey", data.Surveys[0].ID)
	}
	q, err := s.ledgerQuery(c)
	switch {
	case errors.Is(err, survey.ErrNotFound) && q.Area.Code != "":
		data.Query, data.Error = q, "该问卷尚无轮次，暂无入户记录"
	case err != nil:
		return err
	default:
		data.Query = q
		if data.Rounds, err = s.store.Rounds(ctx, q.Survey); err != nil {
			return err
		}
		cover, err := s.coverageOf(c, q)
		if err != nil {
			return err
		}
		data.Coverage, data.Volunteers = coverageLines(cover.Communities), volunteerLines(cover.Volunteers)
		rows, err := s.store.Ledger(ctx, q.Round.ID, q.Area.Path, ledgerShown+1)
		if err != nil {
			return err
		}
		data.Rows, data.More = rows[:min(len(rows), ledgerShown)], len(rows) > ledgerShown
	}
	return s.renderStaff(c, http.StatusOK, "v_ledger.html", "ledger", "入户台账", data)
}
