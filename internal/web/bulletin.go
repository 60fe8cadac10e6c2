package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

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
	NotMet      []bulletinFigure
	Alerts      []alertReply
	Small       []bulletinSmall
	SmallSample int
	Communities int                // in scope only
	Suggestions []store.Suggestion // the newest; the official ticks those to print
	Chosen      int                // how many of them are ticked at first
	SurveyID    string
	ExportQuery string // survey, area, round and view, for the indicators export
	RowsQuery   string // survey, area and round, for the responses export
	View        string // which figures: weighted or not, every respondent or residents
	Notes       []string

	Problems *bulletinProblems // the 问题交办与整改 section (bulletin_problems.go)
}

// bulletinHeadline is one headline indicator: the area's figure, the communities'
// tiers, those too small to rank, and the change since the previous round.
type bulletinHeadline struct {
	Figure   bulletinFigure
	Tiers    bulletinTiers
	Unranked []string
	Change   *bulletinChange
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

// bulletinOf gathers the figures of the bulletin. The communities are compared as
// the ranking API compares them with level=community: out-of-scope ones are neither
// ranked, alerted nor counted among the communities, though their responses count in
// the area's totals.
func (s *Server) bulletinOf(ctx context.Context, q *indicatorQuery) (*bulletinPage, error) {
	root, round := q.Reply.Area, *q.Reply.Round
	page := &bulletinPage{Area: root, Round: round, SmallSample: s.cfg.SmallSample,
		Date:   chineseDate(s.now().In(s.cfg.Location)),
		Period: s.period(round),
		ExportQuery: url.Values{"survey": {q.Reply.Survey}, "area": {root.Code},
			"round": {fmt.Sprint(round.ID)}, "weight": {q.View.Weight}, "respondent": {q.View.Respondent}}.Encode(),
		RowsQuery: url.Values{"survey": {q.Reply.Survey}, "area": {root.Code}, "round": {fmt.Sprint(round.ID)}}.Encode(),
		View:      viewLabel(q.View), Notes: figureNotes(s.cfg.SmallSample)}
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
	units := slices.DeleteFunc(subtree, func(a area.Area) bool { return !a.IsCommunity() })
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
		if u.InScope {
			page.Communities++
		}
	}
	var prevDef *survey.Definition
	ids := []int64{round.ID}
	if page.Previous != nil {
		if prevDef, err = s.cache.Definition(ctx, q.Reply.Survey, page.Previous.Version); err != nil {
			return nil, err
		}
		ids = append(ids, page.Previous.ID)
	}
	figs, err := s.readFigures(ctx, q.View, store.CellQuery{SurveyID: q.Reply.Survey, Rounds: ids}, root, append([]area.Area{root}, units...))
	if err != nil {
		return nil, err
	}
	now := []int64{round.ID}
	page.Respondents = figs.counts(root.ID, "", now).Respondents()
	pending, err := s.store.PendingCounts(ctx, []area.Area{root}, store.CountFilter{SurveyID: q.Reply.Survey, RoundID: round.ID})
	if err != nil {
		return nil, err
	}
	page.Pending = pending[root.ID]
	rows := make([][]stats.Result, len(units))
	for i, u := range units {
		for _, ind := range q.Def.Indicators {
			rows[i] = append(rows[i], figs.result(ind, u, "", now))
		}
	}
	for j, ind := range q.Def.Indicators {
		if !ind.Headline {
			continue
		}
		res := figs.result(ind, root, "", now)
		h := bulletinHeadline{Figure: figureOf(root.Name, res)}
		results := make([]stats.Result, len(units))
		for i, u := range units {
			results[i] = rows[i][j]
			if u.InScope && results[i].SmallSample {
				h.Unranked = append(h.Unranked, fmt.Sprintf("%s（%d）", u.Name, results[i].Valid))
			}
		}
		h.Tiers = tiersOf(names, results, rankSiblings(units, results))
		if pind, ok := indicatorOf(prevDef, ind.ID); ok {
			h.Change = bulletinChangeOf(res, figs.result(pind, root, "", []int64{page.Previous.ID}))
			before := make([]stats.Result, len(units))
			for i, u := range units {
				before[i] = figs.result(pind, u, "", []int64{page.Previous.ID})
			}
			page.Alerts = append(page.Alerts, alertsOf(ind, units, results, before, round.Name, page.Previous.Name)...)
		}
		page.Headlines = append(page.Headlines, h)
	}
	var inScope [][]stats.Result
	var scopeNames []string
	for i, u := range units {
		if !u.InScope {
			continue
		}
		inScope, scopeNames = append(inScope, rows[i]), append(scopeNames, u.Name)
		if slices.ContainsFunc(rows[i], func(r stats.Result) bool { return r.Headline && r.SmallSample }) {
			page.Small = append(page.Small, bulletinSmall{u.Name, figs.counts(u.ID, "", now).Respondents()})
		}
	}
	page.NotMet = notMet(scopeNames, inScope)
	for _, ch := range dashChannels {
		bc := bulletinChannel{Label: ch.Label(), Respondents: figs.counts(root.ID, string(ch), now).Respondents()}
		for _, ind := range q.Def.Indicators {
			if ind.Headline {
				r := figs.result(ind, root, string(ch), now)
				bc.Rates = append(bc.Rates, r.RateText+smallMark(r))
			}
		}
		page.Channels = append(page.Channels, bc)
	}
	page.Suggestions, err = s.store.Suggestions(ctx, store.SuggestionFilter{Path: root.Path, Rounds: now, Limit: bulletinSuggestions})
	page.Chosen = bulletinSuggestionsChosen
	if err != nil {
		return nil, err
	}
	if page.Problems, err = s.bulletinProblemsOf(ctx, root); err != nil {
		return nil, err
	}
	return page, nil
}
