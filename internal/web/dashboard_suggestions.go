package web

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

type suggestionsReply struct {
	Area   area.Area        `json:"area"`
	Round  *store.Round     `json:"round"`
	Query  string           `json:"q"`
	Limit  int              `json:"limit"`
	Offset int              `json:"offset"`
	More   bool             `json:"more"`
	Items  []suggestionItem `json:"items"`
	counting
}

// suggestionItem is one free-text answer. Text and Phone have phone numbers masked;
// both are plain text, for the page to insert as text, never as HTML. A
// door-to-door answer carries neither its day nor its time (Day is "本轮内",
// SubmittedAt null): with them, the visit ledger could name its household. For the
// same reason it is filed at its round's opening, so that its place in the list, which
// is in time order, tells nothing either.
type suggestionItem struct {
	Question     string     `json:"question"`
	QuestionText string     `json:"question_text"`
	Text         string     `json:"text"`
	Phone        string     `json:"phone"`
	Area         areaRef    `json:"area"`
	Day          string     `json:"day"`
	Channel      string     `json:"channel"`
	ChannelLabel string     `json:"channel_label"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	// ResponseID links a problem raised from the suggestion to its response; only
	// for residents' own answers (an id made from the clock would date a visit).
	ResponseID string `json:"response_id,omitempty"`
}

const (
	defaultSuggestions = 20
	maxSuggestions     = 100
	maxSuggestionSkip  = 2000
	maxSearch          = 100 // characters
)

// suggestions handles GET /api/v1/dashboard/suggestions: the open suggestions of an
// area's subtree in a round, newest first, optionally those containing q, a page at
// a time.
func (s *Server) suggestions(c echo.Context) error {
	q := c.QueryParams()
	limit, err := boundedInt(q.Get("limit"), defaultSuggestions, 1, maxSuggestions)
	if err != nil {
		return invalidParam("limit", "limit 应为 1 到 100 之间的整数")
	}
	offset, err := boundedInt(q.Get("offset"), 0, 0, maxSuggestionSkip)
	if err != nil {
		return invalidParam("offset", "offset 应为 0 到 2000 之间的整数")
	}
	search := strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(search) > maxSearch || !utf8.ValidString(search) {
		return invalidParam("q", "搜索内容过长")
	}
	v, err := s.dashboardView(c)
	if err != nil {
		return err
	}
	list, err := s.store.Suggestions(c.Request().Context(), store.SuggestionFilter{
		Path: v.Area.Path, Rounds: v.Rounds, Search: search, Limit: limit + 1, Offset: offset})
	if err != nil {
		return err
	}
	reply := suggestionsReply{counting: v.Counting, Area: v.Area, Round: v.Round, Query: search, Limit: limit, Offset: offset,
		More: len(list) > limit, Items: []suggestionItem{}}
	for _, x := range list[:min(len(list), limit)] {
		text := x.Question
		if question, ok := v.Def.Question(x.Question); ok {
			text = question.Text
		}
		item := suggestionItem{Question: x.Question, QuestionText: text, Text: x.Body,
			Phone: x.Phone, Area: areaRef{Code: x.AreaCode, Name: x.AreaName, Kind: x.AreaKind}, Day: "本轮内",
			Channel: x.Channel, ChannelLabel: survey.Channel(x.Channel).Label()}
		if survey.Channel(x.Channel) == survey.ChannelQR {
			item.Day, item.SubmittedAt, item.ResponseID = x.Day.Format(time.DateOnly), &x.SubmittedAt, x.ResponseID
		}
		reply.Items = append(reply.Items, item)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// boundedInt parses an optional integer parameter within [low, high].
func boundedInt(s string, def, low, high int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < low || n > high {
		return 0, strconv.ErrRange
	}
	return n, nil
}
