package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
)

type overviewReply struct {
	Survey              string           `json:"survey"`
	Version             int              `json:"version"`
	Area                area.Area        `json:"area"`
	Round               *store.Round     `json:"round"`
	Previous            *store.Round     `json:"previous"`
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
// before and the change between them (nil when either has no valid answer), and its
// figure per channel.
type headlineFigure struct {
	stats.Result
	Previous *rateFigure     `json:"previous"`
	Change   *stats.Change   `json:"change"`
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
	cells, err := s.store.Cells(c.Request().Context(), []int64{v.Area.ID}, v.withPrevious(), indicatorQuestions(heads))
	if err != nil {
		return err
	}
	now := s.now()
	reply := overviewReply{counting: v.Counting, Survey: v.Survey, Version: v.Def.Version, Area: v.Area, Round: v.Round,
		Previous: v.Previous, Open: v.Round != nil && v.Round.Open(now), UpdatedAt: now,
		Channels: []channelCount{}, Indicators: []headlineFigure{}}
	counts := cells.Pool(v.Area.ID, v.Rounds...)
	reply.Respondents = counts.Respondents()
	if reply.Pending, err = s.pendingOf(c, v); err != nil {
		return err
	}
	var before store.Counts
	if v.Previous != nil {
		before = cells.Pool(v.Area.ID, v.Previous.ID)
		n := before.Respondents()
		reply.PreviousRespondents = &n
	}
	split := map[string]store.Counts{}
	for _, ch := range dashChannels {
		split[string(ch)] = cells.Channel(v.Area.ID, string(ch), v.Rounds...)
		reply.Channels = append(reply.Channels, channelCount{string(ch), ch.Label(), split[string(ch)].Respondents()})
	}
	for _, ind := range heads {
		f := headlineFigure{Result: stats.Compute(ind, counts[ind.Question], s.cfg.SmallSample)}
		if pind, ok := indicatorOf(prevDef, ind.ID); ok {
			p := stats.Compute(pind, before[pind.Question], s.cfg.SmallSample)
			pr := rateOf(p)
			f.Previous = &pr
			if ch, ok := stats.Compare(f.Positive, f.Valid, p.Positive, p.Valid); ok {
				f.Change = &ch
			}
		}
		for _, ch := range dashChannels {
			r := stats.Compute(ind, split[string(ch)][ind.Question], s.cfg.SmallSample)
			f.Channels = append(f.Channels, channelFigure{string(ch), ch.Label(), rateOf(r)})
		}
		reply.Indicators = append(reply.Indicators, f)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}
