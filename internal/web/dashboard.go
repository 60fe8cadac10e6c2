package web

import (
	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/stats"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// dashView is what a dashboard request is about: a survey and the definition whose
// indicators apply, an area within the caller's jurisdiction, and a round with the
// one opened before it.
type dashView struct {
	Survey   string
	Def      *survey.Definition
	Area     area.Area
	Round    *store.Round  // nil for round=all, or before the survey's first round
	Previous *store.Round  // the round opened before Round; nil when none
	Rounds   []int64       // the rounds counted: Round, or every round of the survey
	All      []store.Round // every round of the survey, newest first
	View     figureView
	Counting counting // how current the figures read after are
}

// dashboardView resolves the survey, area and round parameters of a dashboard request
// like the indicators API does: the area defaults to the caller's own, the round to
// the open one, else the latest; round=all pools every round.
func (s *Server) dashboardView(c echo.Context) (*dashView, error) {
	ctx := c.Request().Context()
	surveyID := c.QueryParam("survey")
	if surveyID == "" {
		return nil, invalidParam("survey", "请指定问卷")
	}
	view, err := viewOf(c)
	if err != nil {
		return nil, err
	}
	a, err := s.scopedArea(c, c.QueryParam("area"))
	if err != nil {
		return nil, err
	}
	var reply indicatorsReply
	def, err := s.roundOf(c, &reply, &store.CountFilter{SurveyID: surveyID})
	if err != nil {
		return nil, err
	}
	if err := checkView(view, def); err != nil {
		return nil, err
	}
	all, err := s.store.Rounds(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	v := &dashView{Survey: surveyID, Def: def, Area: a, Round: reply.Round, All: all, View: view, Counting: s.counted(ctx)}
	if v.Round == nil {
		for _, r := range all {
			v.Rounds = append(v.Rounds, r.ID)
		}
		return v, nil
	}
	v.Rounds = []int64{v.Round.ID}
	for i, r := range all { // newest first
		if r.ID == v.Round.ID && i+1 < len(all) {
			v.Previous = &all[i+1]
		}
	}
	return v, nil
}

// withPrevious is the rounds counted and the round before them, to be fetched at once.
func (v *dashView) withPrevious() []int64 {
	if v.Previous == nil {
		return v.Rounds
	}
	return append(v.Rounds[:len(v.Rounds):len(v.Rounds)], v.Previous.ID)
}

// previousDef is the definition of the previous round, whose rules its figures follow.
func (s *Server) previousDef(c echo.Context, v *dashView) (*survey.Definition, error) {
	if v.Previous == nil {
		return nil, nil
	}
	return s.cache.Definition(c.Request().Context(), v.Survey, v.Previous.Version)
}

// indicatorOf returns the indicator of a definition with the given id.
func indicatorOf(def *survey.Definition, id string) (survey.Indicator, bool) {
	if def != nil {
		for _, ind := range def.Indicators {
			if ind.ID == id {
				return ind, true
			}
		}
	}
	return survey.Indicator{}, false
}

// headlineIndicators are the headline indicators of a definition.
func headlineIndicators(def *survey.Definition) []survey.Indicator {
	var out []survey.Indicator
	for _, ind := range def.Indicators {
		if ind.Headline {
			out = append(out, ind)
		}
	}
	return out
}

// indicatorQuestions lists the questions the indicators are computed from.
func indicatorQuestions(inds []survey.Indicator) []string {
	out := make([]string, 0, len(inds))
	for _, ind := range inds {
		out = append(out, ind.Question)
	}
	return out
}

// indicatorHead describes an indicator: what a column or a chart is about.
type indicatorHead struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Kind     survey.Kind `json:"kind"`
	Headline bool        `json:"headline"`
	Target   *float64    `json:"target"`
}

func headOf(ind survey.Indicator) indicatorHead {
	return indicatorHead{ind.ID, ind.Name, ind.Kind, ind.Headline, ind.Target}
}

// rateFigure is a figure without the description of its indicator: what long lists of
// areas or periods carry.
type rateFigure = stats.Figure

func rateOf(r stats.Result) rateFigure { return r.Figure }

// changeFigure is how a figure moved since the round before: the difference with its
// Newcombe interval (every number null when either round has no valid answer), the
// difference of the printed rates, and the verdict as printed.
type changeFigure struct {
	stats.Change
	Text     string `json:"text"`
	Interval string `json:"interval_text"`
	Label    string `json:"label"` // 显著, 不显著 or 无法比较
}

func changeOf(now, before stats.Result) *changeFigure {
	c := changeFigure{Change: stats.Compare(now.Positive, now.Valid, before.Positive, before.Valid),
		Text: "—", Interval: "—"}
	c.Label = c.Change.Label()
	a, ok1 := now.Tenths()
	b, ok2 := before.Tenths()
	if ok1 && ok2 {
		c.Text = stats.Points(a, b)
	}
	if c.Low != nil {
		c.Interval = stats.PointsInterval(*c.Low, *c.High)
	}
	return &c
}

// dashChannels are the ways responses arrive, in the order the dashboard shows them.
var dashChannels = []survey.Channel{survey.ChannelQR, survey.ChannelVolunteer, survey.ChannelPaper}

func areaRefOf(a area.Area) areaRef {
	return areaRef{Code: a.Code, Name: a.Name, Kind: a.Kind, InScope: a.InScope}
}

// ownRef names the row of the responses filed on an area itself, not on any child
// (街道本级): with it, the children's rows sum to the area.
func ownRef(a area.Area) areaRef {
	return areaRef{Code: a.Code, Name: a.Name + "本级", Kind: a.Kind, InScope: a.InScope, Own: true}
}

func areaIDs(areas []area.Area) []int64 {
	out := make([]int64, len(areas))
	for i, a := range areas {
		out[i] = a.ID
	}
	return out
}
