package web

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

type trendsReply struct {
	Area       area.Area     `json:"area"`
	Round      *store.Round  `json:"round"` // the one round the trend is limited to; nil for all
	By         string        `json:"by"`
	Channel    string        `json:"channel"`
	From       string        `json:"from,omitempty"`
	To         string        `json:"to,omitempty"`
	figureView               // trends pool responses: never weighted (weight is always none)
	Indicators []trendSeries `json:"indicators"`
	counting
}

type trendSeries struct {
	indicatorHead
	Points []trendPoint `json:"points"`
}

// trendPoint is a headline figure over one period: its label (2026-11-20,
// 2026-W47, 2026-11, 2026Q4 or the round's name) and first day.
type trendPoint struct {
	Period      string `json:"period"`
	Start       string `json:"start"`
	Respondents int    `json:"respondents"`
	rateFigure
}

var trendPeriods = map[string]bool{"day": true, "week": true, "month": true, "quarter": true, "round": true}

// trends handles GET /api/v1/dashboard/trends: each headline indicator of an area per
// day, week, month, quarter or round, from the daily tallies. It spans every round
// of the survey unless a round is asked for, optionally one channel and a date range.
func (s *Server) trends(c echo.Context) error {
	q := c.QueryParams()
	by := q.Get("by")
	if by == "" {
		by = "day"
	}
	if !trendPeriods[by] {
		return invalidParam("by", "by 只能为 day、week、month、quarter 或 round")
	}
	channel := q.Get("channel")
	if channel != "" && !survey.Channel(channel).Valid() {
		return invalidParam("channel", "渠道应为 qr、volunteer 或 paper")
	}
	from, err := parseDay(q.Get("from"), s.cfg.Location)
	if err != nil {
		return invalidParam("from", "日期格式应为 2006-01-02")
	}
	to, err := parseDay(q.Get("to"), s.cfg.Location)
	if err != nil {
		return invalidParam("to", "日期格式应为 2006-01-02")
	}
	if err := checkRange(from, to); err != nil {
		return err
	}
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	f := store.TrendFilter{SurveyID: v.Survey, Channel: channel, From: from, To: to, By: by}
	reply := trendsReply{counting: v.Counting, Area: v.Area, By: by, Channel: channel, From: q.Get("from"), To: q.Get("to"),
		figureView: figureView{Weight: "none", Respondent: v.View.Respondent},
		Indicators: []trendSeries{}}
	if p := q.Get("round"); p != "" && p != "all" && v.Round != nil {
		f.RoundID, reply.Round = v.Round.ID, v.Round
	}
	heads := headlineIndicators(v.Def)
	f.Questions = indicatorQuestions(heads)
	resident := v.View.Respondent == "resident"
	if resident {
		f.Questions = residentQuestions(f.Questions)
	}
	periods, err := s.store.Trend(c.Request().Context(), v.Area.ID, f)
	if err != nil {
		return err
	}
	if resident {
		for i := range periods {
			periods[i].Counts = residentsOnly(periods[i].Counts)
		}
	}
	names := map[int64]string{}
	for _, r := range v.All {
		names[r.ID] = r.Name
	}
	for _, ind := range heads {
		series := trendSeries{indicatorHead: headOf(ind), Points: []trendPoint{}}
		for _, p := range periods {
			r := stats.Compute(ind, p.Counts[ind.Question], s.cfg.SmallSample)
			label, start := periodLabel(by, p.Start), p.Start.Format(time.DateOnly)
			if by == "round" {
				label, start = names[p.Round], p.Start.In(s.cfg.Location).Format(time.DateOnly)
			}
			series.Points = append(series.Points, trendPoint{label, start, p.Counts.Respondents(), rateOf(r)})
		}
		reply.Indicators = append(reply.Indicators, series)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// periodLabel names the calendar period starting on day.
func periodLabel(by string, day time.Time) string {
	switch by {
	case "week":
		y, w := day.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case "month":
		return day.Format("2006-01")
	case "quarter":
		return fmt.Sprintf("%dQ%d", day.Year(), (int(day.Month())+2)/3)
	}
	return day.Format(time.DateOnly)
}
