package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
)

type overviewReply struct {
	Survey   string       `json:"survey"`
	Version  int          `json:"version"`
	Area     area.Area    `json:"area"`
	Round    *store.Round `json:"round"`
	Previous *store.Round `json:"previous"`
	figureView
	Open                bool             `json:"open"`
	Respondents         int              `json:"respondents"`
	Pending             int              `json:"pending"` // held for review, not counted
	PreviousRespondents *int             `json:"previous_respondents"`
	Channels            []channelCount   `json:"channels"`
	Indicators          []headlineFigure `json:"indicators"`
	UpdatedAt           time.Time        `json:"updated_at"`
	counting
}

// channelCount is how many responses came through a channel.
type channelCount struct {
	Channel     string `json:"channel"`
	Label       string `json:"label"`
	Respondents int    `json:"respondents"`
}

// headlineFigure is a headline indicator of the round, its figure in the round
// before and the change between them (nil without a previous round fielding the
// indicator), and its figure per channel.
type headlineFigure struct {
	stats.Result
	Previous *rateFigure     `json:"previous"`
	Change   *changeFigure   `json:"change"`
	Channels []channelFigure `json:"channels"`
}

type channelFigure struct {
	Channel string `json:"channel"`
	Label   string `json:"label"`
	rateFigure
}

// overview handles GET /api/v1/dashboard/overview: the headline figures of an area
// in a round, against target and against the round before, split by channel.
func (s *Server) overview(c echo.Context) error {
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	prevDef, err := s.previousDef(c, v)
	if err != nil {
		return err
	}
	heads := headlineIndicators(v.Def)
	figs, err := s.readFigures(c.Request().Context(), v.View,
		store.CellQuery{SurveyID: v.Survey, Rounds: v.withPrevious(), Questions: indicatorQuestions(heads)}, v.Area, []area.Area{v.Area})
	if err != nil {
		return err
	}
	now := s.now()
	reply := overviewReply{counting: v.Counting, Survey: v.Survey, Version: v.Def.Version, Area: v.Area, Round: v.Round, figureView: v.View,
		Previous: v.Previous, Open: v.Round != nil && v.Round.Open(now), UpdatedAt: now,
		Channels: []channelCount{}, Indicators: []headlineFigure{}}
	reply.Respondents = figs.counts(v.Area.ID, "", v.Rounds).Respondents()
	if reply.Pending, err = s.pendingOf(c, v); err != nil {
		return err
	}
	if v.Previous != nil {
		n := figs.counts(v.Area.ID, "", []int64{v.Previous.ID}).Respondents()
		reply.PreviousRespondents = &n
	}
	for _, ch := range dashChannels {
		reply.Channels = append(reply.Channels, channelCount{string(ch), ch.Label(), figs.counts(v.Area.ID, string(ch), v.Rounds).Respondents()})
	}
	for _, ind := range heads {
		f := headlineFigure{Result: figs.result(ind, v.Area, "", v.Rounds)}
		if pind, ok := indicatorOf(prevDef, ind.ID); ok {
			p := figs.result(pind, v.Area, "", []int64{v.Previous.ID})
			pr := rateOf(p)
			f.Previous = &pr
			f.Change = changeOf(f.Result, p)
		}
		for _, ch := range dashChannels {
			f.Channels = append(f.Channels, channelFigure{string(ch), ch.Label(), rateOf(figs.result(ind, v.Area, string(ch), v.Rounds))})
		}
		reply.Indicators = append(reply.Indicators, f)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}
