// Package survey defines questionnaires, the answers residents give to them and the
// indicator rules computed from those answers. It knows nothing of HTTP or SQL.
package survey

import "errors"

// Errors shared by the layers that store and serve surveys. The web layer maps each to
// one HTTP status and one stable machine code.
var (
	// ErrNotFound: the survey, area, round or response does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write collides with existing state (e.g. a second open round).
	ErrConflict = errors.New("conflict")
	// ErrNoOpenRound: the survey has no round open at this moment.
	ErrNoOpenRound = errors.New("no open round")
	// ErrDuplicateDevice: this device already answered the survey in this round.
	ErrDuplicateDevice = errors.New("device already answered this round")
	// ErrClientIDReused: the client_id was already used for a different submission.
	ErrClientIDReused = errors.New("client_id reused with other content")
	// ErrDuplicateHousehold: the household already has a completed response in this round.
	ErrDuplicateHousehold = errors.New("household already answered this round")
	// ErrFormTokenUsed: the form token was already used for another response.
	ErrFormTokenUsed = errors.New("form token already used")
)

// QuestionType says how a question is answered.
type QuestionType string

// The question types.
const (
	Single QuestionType = "single"
	Multi  QuestionType = "multi"
	Text   QuestionType = "text"
)

// Kind is the family an indicator belongs to.
type Kind string

// The indicator kinds.
const (
	Awareness     Kind = "awareness"
	Support       Kind = "support"
	Satisfaction  Kind = "satisfaction"
	Participation Kind = "participation"
	Topic         Kind = "topic"
)

// Channel is how a response reached us.
type Channel string

// The channels. Results are always reported split by channel.
const (
	ChannelQR        Channel = "qr"        // 扫码自填: a resident scanned a poster
	ChannelVolunteer Channel = "volunteer" // 入户: a door-to-door surveyor entered it
	ChannelPaper     Channel = "paper"     // 纸质录入: keyed in from a paper form
)

// Valid reports whether c is one of the known channels.
func (c Channel) Valid() bool {
	return c == ChannelQR || c == ChannelVolunteer || c == ChannelPaper
}

// Label is the Chinese name of the channel.
func (c Channel) Label() string {
	switch c {
	case ChannelQR:
		return "扫码自填"
	case ChannelVolunteer:
		return "入户"
	case ChannelPaper:
		return "纸质录入"
	}
	return string(c)
}

// Definition is one version of a questionnaire.
type Definition struct {
	ID         string      `json:"id" yaml:"id"`
	Title      string      `json:"title" yaml:"title"`
	Intro      string      `json:"intro" yaml:"intro"`
	Version    int         `json:"version,omitempty" yaml:"version,omitempty"`
	Questions  []Question  `json:"questions" yaml:"questions"`
	Indicators []Indicator `json:"indicators" yaml:"indicators"`
	// Resident names the answer that marks a respondent as a resident (本社区常住居民),
	// for the residents-only view of the figures; nil when the survey names none.
	Resident *Choice `json:"resident,omitempty" yaml:"resident,omitempty"`
}

// Choice is one option of one single-choice question.
type Choice struct {
	Question string `json:"question" yaml:"question"`
	Option   string `json:"option" yaml:"option"`
}

// Question is one item of the questionnaire.
type Question struct {
	ID       string       `json:"id" yaml:"id"`
	Section  string       `json:"section,omitempty" yaml:"section,omitempty"`
	Type     QuestionType `json:"type" yaml:"type"`
	Text     string       `json:"text" yaml:"text"`
	Hint     string       `json:"hint,omitempty" yaml:"hint,omitempty"`
	Required bool         `json:"required" yaml:"required"`
	Options  []Option     `json:"options,omitempty" yaml:"options,omitempty"`
	// Max is the most choices of a multi question, or the most characters of a text one.
	Max int `json:"max,omitempty" yaml:"max,omitempty"`
	// Format constrains a text answer; "phone" accepts a mainland phone number.
	Format string     `json:"format,omitempty" yaml:"format,omitempty"`
	ShowIf *Condition `json:"show_if,omitempty" yaml:"show_if,omitempty"`
}

// Option is one choice of a single or multi question.
type Option struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
}

// Condition shows a question only when an earlier question was answered with one of In.
type Condition struct {
	Question string   `json:"question" yaml:"question"`
	In       []string `json:"in" yaml:"in"`
}

// Indicator is a rate defined on one single-choice question: positive options over
// answered options that are not excluded.
type Indicator struct {
	ID       string   `json:"id" yaml:"id"`
	Name     string   `json:"name" yaml:"name"`
	Kind     Kind     `json:"kind" yaml:"kind"`
	Question string   `json:"question" yaml:"question"`
	Positive []string `json:"positive" yaml:"positive"`
	Excluded []string `json:"excluded,omitempty" yaml:"excluded,omitempty"`
	// Target is the rate the campaign aims for, between 0 and 1; nil when none is set.
	Target   *float64 `json:"target,omitempty" yaml:"target,omitempty"`
	Headline bool     `json:"headline" yaml:"headline"`
}

// Question returns the question with the given id.
func (d *Definition) Question(id string) (*Question, bool) {
	for i := range d.Questions {
		if d.Questions[i].ID == id {
			return &d.Questions[i], true
		}
	}
	return nil, false
}

// Option returns the option with the given id.
func (q *Question) Option(id string) (*Option, bool) {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return &q.Options[i], true
		}
	}
	return nil, false
}

// MaxLen is the most characters a text answer may have.
func (q *Question) MaxLen() int {
	if q.Max > 0 {
		return q.Max
	}
	return DefaultTextMax
}

// DefaultTextMax bounds text answers whose question sets no max.
const DefaultTextMax = 500
