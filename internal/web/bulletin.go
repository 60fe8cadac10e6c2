package web

import (
	"strconv"
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// bulletinPage is the printable bulletin (通报) of one round for one area.
type bulletinPage struct {
	Title       string // …测评通报（第N期）
	Number      int    // the round's ordinal among the survey's rounds, from 1
	Area        area.Area
	Round       store.Round
	Previous    *store.Round
	Period      string
	Date        string
	Respondents int
	Pending     int // held for review, not counted
	Channels    []bulletinChannel
	Headlines   []bulletinHeadline
	BelowTarget []bulletinFigure
	Small       []bulletinSmall
	SmallSample int
	Communities int
	Suggestions []store.Suggestion // the newest; the official ticks those to print
	Chosen      int                // how many of them are ticked at first
	SurveyID    string
	ExportQuery string // survey, area and round, for the export links

	Problems *bulletinProblems // the 问题交办与整改 section (bulletin_problems.go)
}

// bulletinHeadline is one headline indicator: the area's figure, its best and worst
// communities, those too small to rank, and the change since the previous round.
type bulletinHeadline struct {
	Figure   bulletinFigure
	Best     []bulletinFigure
	Worst    []bulletinFigure
	Unranked []string
	Change   *bulletinChange
}

// bulletinFigure is a rate as printed.
type bulletinFigure struct {
	Area, Indicator             string
	Rate, Interval, Target, Gap string
	N                           int
	Below, Small                bool
}

type bulletinChange struct {
	Before, After, Delta string
	Significant          bool
	P                    string
}

type bulletinChannel struct {
	Label       string
	Respondents int
	Rates       []string // per headline indicator
}

type bulletinSmall struct {
	Area        string
	Respondents int
}

// bulletinSuggestions is how many of the newest suggestions the bulletin offers; the
// first bulletinSuggestionsChosen are ticked to print at first.
const (
	bulletinSuggestions       = 30
	bulletinSuggestionsChosen = 10
)

// bulletinTop is how many communities are named best and worst per indicator.
const bulletinTop = 3

// bulletin handles GET /bulletin?survey=S&area=CODE[&round=ID]: the printable
// bulletin of a round (default: the open one, else the latest) for an area of the
// caller's jurisdiction.
func (s *Server) bulletin(c echo.Context) error {
	if c.QueryParam("round") == "all" {
		return invalidParam("round", "通报须针对一个轮次")
	}
	for _, p := range []string{"channel", "from", "to"} {
		if c.QueryParam(p) != "" {
			return invalidParam(p, "通报针对整轮全部渠道，不能按渠道或日期筛选")
		}
	}
	q, err := s.indicatorQuery(c)
	if err != nil {
		return err
	}
	if q.Reply.Round == nil {
		return newError(404, "not_found", "该问卷还没有开展过任何轮次，暂无通报")
	}
	issue := 0
	if v := c.QueryParam("issue"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 9999 {
			return invalidParam("issue", "期号应为 1 到 9999 的整数")
		}
		issue = n
	}
	page, err := s.bulletinOf(c.Request().Context(), q)
	if err != nil {
		return err
	}
	page.SurveyID = q.Reply.Survey
	if issue > 0 { // the office's own numbering of its bulletins
		page.Number, page.Title = issue, bulletinTitle(q.Def.Title, issue)
	}
	s.auditExport(c, "export.bulletin", q.Reply.Area.Code,
		map[string]any{"survey": q.Reply.Survey, "round": q.Reply.Round.ID, "rows": page.Communities})
	return s.render(c, 200, "bulletin.html", page)
}

// bulletinOf gathers the figures of the bulletin.
func (s *Server) bulletinOf(ctx context.Context, q *indicatorQuery) (*bulletinPage, error) {
	root, round := q.Reply.Area, *q.Reply.Round
	page := &bulletinPage{Area: root, Round: round, SmallSample: s.cfg.SmallSample,
		Date:   chineseDate(s.now().In(s.cfg.Location)),
		Period: s.period(round),
		ExportQuery: url.Values{"survey": {q.Reply.Survey}, "area": {root.Code},
			"round": {fmt.Sprint(round.ID)}}.Encode()}
	rounds, err := s.store.Rounds(ctx, q.Reply.Survey)
	if err != nil {
		return nil, err
	}
	slices.Reverse(rounds) // oldest first
	for i, r := range rounds {
		if r.ID == round.ID {
			page.Number = i + 1
			if i > 0 {
				page.Previous = &rounds[i-1]
			}
		}
	}
	page.Title = bulletinTitle(q.Def.Title, page.Number)

	subtree, err := s.store.Subtree(ctx, root.Code)
	if err != nil {
		return nil, err
	}
	communities := slices.DeleteFunc(subtree, func(a area.Area) bool { return !a.IsCommunity() || !a.InScope })
	page.Communities = len(communities)
	rows, err := s.indicatorRows(ctx, q, append([]area.Area{root}, communities...))
	if err != nil {
		return nil, err
	}
	total, units := rows[0], rows[1:]
	page.Respondents, page.Pending = total.Respondents, total.Pending

	var before map[string]stats.Result
	if page.Previous != nil {
		if before, err = s.previousFigures(ctx, q, *page.Previous); err != nil {
			return nil, err
		}
	}
	for i, res := range total.Indicators {
		if !res.Headline {
			continue
		}
		h := bulletinHeadline{Figure: figureOf(root.Name, res)}
		for _, u := range units {
			if r := u.Indicators[i]; r.SmallSample {
				h.Unranked = append(h.Unranked, fmt.Sprintf("%s（%d）", u.Area.Name, r.Valid))
			}
		}
		h.Best, h.Worst = bestAndWorst(units, i)
		if b, ok := before[res.ID]; ok {
			h.Change = changeOf(res, b)
		}
		page.Headlines = append(page.Headlines, h)
	}
	page.BelowTarget = belowTarget(units)
	for _, u := range units {
		if slices.ContainsFunc(u.Indicators, func(r stats.Result) bool { return r.Headline && r.SmallSample }) {
			page.Small = append(page.Small, bulletinSmall{u.Area.Name, u.Respondents})
		}
	}
	page.Channels, err = s.channelSplit(ctx, q, root)
	if err != nil {
		return nil, err
	}
	page.Suggestions, err = s.store.Suggestions(ctx, store.SuggestionFilter{Path: root.Path, Rounds: []int64{round.ID}, Limit: bulletinSuggestions})
	page.Chosen = bulletinSuggestionsChosen
	if err != nil {
		return nil, err
	}
	if page.Problems, err = s.bulletinProblemsOf(ctx, root); err != nil {
		return nil, err
	}
	return page, nil
}

// previousFigures computes the area's indicators in the previous round, by indicator
// id, with the definition that round fielded.
func (s *Server) previousFigures(ctx context.Context, q *indicatorQuery, prev store.Round) (map[string]stats.Result, error) {
	def, err := s.cache.Definition(ctx, q.Reply.Survey, prev.Version)
	if err != nil {
		return nil, err
	}
	pq := *q
	pq.Def, pq.Filter.RoundID = def, prev.ID
	rows, err := s.indicatorRows(ctx, &pq, []area.Area{q.Reply.Area})
	if err != nil {
		return nil, err
	}
	out := map[string]stats.Result{}
	for _, r := range rows[0].Indicators {
		out[r.ID] = r
	}
	return out, nil
}

// channelSplit is the area's headline figures per channel: assisted answers differ
// from self-filled ones, so they are always shown apart.
func (s *Server) channelSplit(ctx context.Context, q *indicatorQuery, root area.Area) ([]bulletinChannel, error) {
	var out []bulletinChannel
	for _, ch := range []survey.Channel{survey.ChannelQR, survey.ChannelVolunteer, survey.ChannelPaper} {
		cq := *q
		cq.Filter.Channel = string(ch)
		rows, err := s.indicatorRows(ctx, &cq, []area.Area{root})
		if err != nil {
			return nil, err
		}
		bc := bulletinChannel{Label: ch.Label(), Respondents: rows[0].Respondents}
		for _, r := range rows[0].Indicators {
			if r.Headline {
				bc.Rates = append(bc.Rates, pct(r.Rate)+smallMark(r))
			}
		}
		out = append(out, bc)
	}
	return out, nil
}
