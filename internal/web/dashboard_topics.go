package web

import (
	"cmp"
	"slices"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

type topicsReply struct {
	Area  area.Area    `json:"area"`
	Round *store.Round `json:"round"`
	figureView
	Respondents int            `json:"respondents"`
	Indicators  []topicFigure  `json:"indicators"`
	Questions   []distribution `json:"questions"`
	Checklist   *distribution  `json:"checklist"`
	counting
}

// topicFigure is a topic indicator with the share of answers to its question that
// its rule leaves out (不了解, 说不清…): nil when the question has no answer.
type topicFigure struct {
	stats.Result
	Question      string   `json:"question"`
	Answers       int      `json:"answers"`
	Excluded      int      `json:"excluded"`
	ExcludedShare *float64 `json:"excluded_share"`
	ExcludedText  string   `json:"excluded_text"`
}

// distribution is how the answers to a choice question spread over its options.
// Answered counts the respondents who answered the question; each option's share is
// over them (a multiple choice counts each option chosen, so its shares add up to
// more than 100%).
type distribution struct {
	ID       string        `json:"id"`
	Text     string        `json:"text"`
	Type     string        `json:"type"`
	Answered *int          `json:"answered"`
	Options  []optionCount `json:"options"`
}

type optionCount struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Count     int    `json:"count"`
	ShareText string `json:"share_text"` // count / answered, by the one rounding rule
}

// topics handles GET /api/v1/dashboard/topics: the topic indicators of an area from
// the weakest, how the answers to every choice question spread, and the counts of
// the problem checklist (the survey's first multiple-choice question).
func (s *Server) topics(c echo.Context) error {
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	figs, err := s.readFigures(c.Request().Context(), v.View, store.CellQuery{SurveyID: v.Survey, Rounds: v.Rounds}, v.Area, []area.Area{v.Area})
	if err != nil {
		return err
	}
	counts := figs.counts(v.Area.ID, "", nil)
	reply := topicsReply{counting: v.Counting, Area: v.Area, Round: v.Round, Respondents: counts.Respondents(), figureView: v.View,
		Indicators: []topicFigure{}, Questions: []distribution{}}
	for _, ind := range v.Def.Indicators {
		if ind.Headline && ind.Kind != survey.Topic {
			continue
		}
		f := topicFigure{Result: figs.result(ind, v.Area, "", nil), Question: ind.Question}
		for option, n := range counts[ind.Question] {
			f.Answers += n
			if slices.Contains(ind.Excluded, option) {
				f.Excluded += n
			}
		}
		if f.Answers > 0 {
			share := float64(f.Excluded) / float64(f.Answers)
			f.ExcludedShare = &share
		}
		f.ExcludedText = stats.Percent(f.Excluded, f.Answers)
		reply.Indicators = append(reply.Indicators, f)
	}
	slices.SortStableFunc(reply.Indicators, weakestFirst)
	for _, q := range v.Def.Questions {
		if q.Type != survey.Single && q.Type != survey.Multi {
			continue
		}
		d := distribution{ID: q.ID, Text: q.Text, Type: string(q.Type), Options: []optionCount{}}
		answered := counts[q.ID][store.AnsweredOption] // a multiple choice's respondents
		if q.Type == survey.Single {
			answered = 0
			for _, n := range counts[q.ID] {
				answered += n
			}
		}
		d.Answered = &answered
		for _, o := range q.Options {
			n := counts[q.ID][o.ID]
			d.Options = append(d.Options, optionCount{o.ID, o.Text, n, stats.Percent(n, answered)})
		}
		reply.Questions = append(reply.Questions, d)
		if q.Type == survey.Multi && reply.Checklist == nil {
			list := d
			list.Options = slices.Clone(d.Options)
			slices.SortStableFunc(list.Options, func(a, b optionCount) int { return cmp.Compare(b.Count, a.Count) })
			reply.Checklist = &list
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// weakestFirst orders topic figures by rate, lowest first; undefined rates last.
func weakestFirst(a, b topicFigure) int {
	switch {
	case a.Rate == nil && b.Rate == nil:
		return 0
	case a.Rate == nil:
		return 1
	case b.Rate == nil:
		return -1
	}
	return cmp.Compare(*a.Rate, *b.Rate)
}
