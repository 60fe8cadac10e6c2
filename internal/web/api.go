package web

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// listSurveys handles GET /api/v1/surveys.
func (s *Server) listSurveys(c echo.Context) error {
	list, err := s.store.Surveys(c.Request().Context(), s.now())
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.SurveySummary{}
	}
	return c.JSON(200, list)
}

// getSurvey handles GET /api/v1/surveys/:id[?version=N]: the definition as JSON.
func (s *Server) getSurvey(c echo.Context) error {
	version := 0
	if v := c.QueryParam("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return invalidParam("version", "版本号应为正整数")
		}
		version = n
	}
	def, err := s.cache.Definition(c.Request().Context(), c.Param("id"), version)
	if err != nil {
		return err
	}
	return c.JSON(200, def)
}

// listAreas handles GET /api/v1/areas[?under=CODE]: the areas of the caller's
// jurisdiction, its own area first, or those below CODE.
func (s *Server) listAreas(c echo.Context) error {
	under := c.QueryParam("under")
	var list []area.Area
	if under == "" && principalOf(c).Role == account.Admin {
		var err error
		if list, err = s.store.Subtree(c.Request().Context(), ""); err != nil {
			return err
		}
	} else {
		root, err := s.scopedArea(c, under)
		if err != nil {
			return err
		}
		if list, err = s.store.Subtree(c.Request().Context(), root.Code); err != nil {
			return err
		}
		if under != "" && len(list) > 0 {
			list = list[1:] // the area itself comes first
		}
	}
	if list == nil {
		list = []area.Area{}
	}
	return c.JSON(200, list)
}

type indicatorRow struct {
	Area        areaRef        `json:"area"`
	Respondents int            `json:"respondents"`
	Pending     int            `json:"pending"` // held for review in the same scope and filter, not counted
	Indicators  []stats.Result `json:"indicators"`
}

type areaRef struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	InScope bool   `json:"in_scope"`
	Own     bool   `json:"own,omitempty"` // the responses filed on the area itself (本级)
}

type indicatorsReply struct {
	Survey  string       `json:"survey"`
	Version int          `json:"version"`
	Round   *store.Round `json:"round"`
	Area    area.Area    `json:"area"`
	Channel string       `json:"channel"`
	From    string       `json:"from,omitempty"`
	To      string       `json:"to,omitempty"`
	figureView
	Rows []indicatorRow `json:"rows"`
	counting
}

// indicators handles GET /api/v1/indicators: the survey's indicators for an area's
// subtree, or for each of its children with by=children, in a round (default: the
// open one, else the latest; round=all for every round), optionally for one channel
// and a date range.
func (s *Server) indicators(c echo.Context) error {
	by := c.QueryParam("by")
	if by != "" && by != "children" {
		return invalidParam("by", "by 只能为 children")
	}
	q, err := s.indicatorQuery(c)
	if err != nil {
		return err
	}
	reply := q.Reply
	if by == "children" {
		kids, err := s.store.Children(c.Request().Context(), q.Reply.Area.ID)
		if err != nil {
			return err
		}
		rows, err := s.indicatorRows(c.Request().Context(), q, append([]area.Area{q.Reply.Area}, kids...))
		if err != nil {
			return err
		}
		reply.Rows = childRowsOf(rows)
	} else if reply.Rows, err = s.indicatorRows(c.Request().Context(), q, []area.Area{q.Reply.Area}); err != nil {
		return err
	}
	return c.JSON(200, reply)
}

// indicatorQuery is a request for indicator figures, resolved: the reply without its
// rows, the definition whose indicators apply and the filter of the responses counted.
type indicatorQuery struct {
	Reply  indicatorsReply
	Def    *survey.Definition
	Filter store.CountFilter
	View   figureView
}

// indicatorQuery reads survey, area, round, channel, from and to from the query
// string, with the area checked against the caller's jurisdiction.
func (s *Server) indicatorQuery(c echo.Context) (*indicatorQuery, error) {
	q := c.QueryParams()
	surveyID, code := q.Get("survey"), q.Get("area")
	if surveyID == "" {
		return nil, invalidParam("survey", "请指定问卷")
	}
	if code == "" {
		return nil, invalidParam("area", "请指定区域")
	}
	f := store.CountFilter{SurveyID: surveyID, Channel: q.Get("channel")}
	if f.Channel != "" && !survey.Channel(f.Channel).Valid() {
		return nil, invalidParam("channel", "渠道应为 qr、volunteer 或 paper")
	}
	var err error
	if f.From, err = parseDay(q.Get("from"), s.cfg.Location); err != nil {
		return nil, invalidParam("from", "日期格式应为 2006-01-02")
	}
	if f.To, err = parseDay(q.Get("to"), s.cfg.Location); err != nil {
		return nil, invalidParam("to", "日期格式应为 2006-01-02")
	}
	if err := checkRange(f.From, f.To); err != nil {
		return nil, err
	}
	view, err := viewOf(c)
	if err != nil {
		return nil, err
	}
	root, err := s.scopedArea(c, code)
	if err != nil {
		return nil, err
	}
	reply := indicatorsReply{Survey: surveyID, Area: root, Channel: f.Channel, From: q.Get("from"), To: q.Get("to"), figureView: view}
	def, err := s.roundOf(c, &reply, &f)
	if err != nil {
		return nil, err
	}
	reply.Version = def.Version
	if err := checkView(view, def); err != nil {
		return nil, err
	}
	reply.counting = s.counted(c.Request().Context())
	return &indicatorQuery{Reply: reply, Def: def, Filter: f, View: view}, nil
}

// indicatorRows computes every indicator of the query's definition for each area,
// pooling the responses of its subtree (or weighting its leaves by households). When
// the first area is the parent of the others, the rows that follow are its children
// and an own row (本级) is added by childRowsOf.
func (s *Server) indicatorRows(ctx context.Context, q *indicatorQuery, areas []area.Area) ([]indicatorRow, error) {
	f := q.Filter
	cq := store.CellQuery{SurveyID: f.SurveyID, Channel: f.Channel, From: f.From, To: f.To}
	if f.RoundID != 0 {
		cq.Rounds = []int64{f.RoundID}
	}
	figs, err := s.readFigures(ctx, q.View, cq, q.Reply.Area, areas)
	if err != nil {
		return nil, err
	}
	pending, err := s.store.PendingCounts(ctx, areas, q.Filter)
	if err != nil {
		return nil, err
	}
	rows := make([]indicatorRow, 0, len(areas)+1)
	var kids []store.Counts
	ownPending := pending[areas[0].ID]
	for i, a := range areas {
		cs := figs.counts(a.ID, "", nil)
		row := indicatorRow{Area: areaRefOf(a), Respondents: cs.Respondents(), Pending: pending[a.ID]}
		row.Indicators = make([]stats.Result, 0, len(q.Def.Indicators))
		for _, ind := range q.Def.Indicators {
			row.Indicators = append(row.Indicators, figs.result(ind, a, "", nil))
		}
		rows = append(rows, row)
		if i > 0 && a.ParentCode == areas[0].Code {
			kids = append(kids, cs)
			ownPending -= pending[a.ID]
		}
	}
	if len(areas) > 1 && len(kids) == len(areas)-1 {
		own := figs.counts(areas[0].ID, "", nil).Minus(kids...)
		if own.Respondents() > 0 {
			row := indicatorRow{Area: ownRef(areas[0]), Respondents: own.Respondents(), Pending: ownPending}
			for _, ind := range q.Def.Indicators {
				row.Indicators = append(row.Indicators, stats.Compute(ind, own[ind.Question], s.cfg.SmallSample))
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// childRowsOf drops the parent's own total from the rows of indicatorRows, keeping
// the children and the parent's own row (本级), if any.
func childRowsOf(rows []indicatorRow) []indicatorRow {
	return rows[1:]
}

// checkRange refuses a date range that ends before it starts.
func checkRange(from, to *time.Time) error {
	if from != nil && to != nil && from.After(*to) {
		return invalidParam("from", "开始日期不能晚于结束日期")
	}
	return nil
}

// roundOf resolves the round parameter into the filter and reply and returns the
// definition whose indicators apply: the round's version, or the latest for round=all.
func (s *Server) roundOf(c echo.Context, reply *indicatorsReply, f *store.CountFilter) (*survey.Definition, error) {
	ctx := c.Request().Context()
	var round store.Round
	var err error
	switch p := c.QueryParam("round"); p {
	case "all":
		return s.cache.Definition(ctx, f.SurveyID, 0)
	case "":
		round, err = s.store.CurrentOrLatestRound(ctx, f.SurveyID, s.now())
		if errors.Is(err, survey.ErrNotFound) {
			// No round yet, so no responses: every figure is empty, but the survey must exist.
			return s.cache.Definition(ctx, f.SurveyID, 0)
		}
	default:
		id, perr := strconv.ParseInt(p, 10, 64)
		if perr != nil {
			return nil, invalidParam("round", "轮次应为编号或 all")
		}
		round, err = s.store.Round(ctx, f.SurveyID, id)
	}
	if err != nil {
		return nil, err
	}
	f.RoundID, reply.Round = round.ID, &round
	return s.cache.Definition(ctx, f.SurveyID, round.Version)
}

func invalidParam(name, msg string) *apiError {
	return &apiError{Status: 400, Code: "bad_request", Message: msg, Fields: map[string]string{name: msg}}
}

func parseDay(s string, loc *time.Location) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
