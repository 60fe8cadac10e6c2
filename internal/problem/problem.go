// Package problem describes the problem-closure loop (发现 → 交办 → 整改 → 反馈): a
// problem raised in an area, assigned to a unit with a due day, rectified, closed
// after the resident was called back, and reopened when the work did not hold. It
// holds the rules of each step and the figures officials are judged by, and imports
// nothing of the application.
package problem

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a problem stands.
type Status string

const (
	Open      Status = "open"      // raised, not yet assigned
	Assigned  Status = "assigned"  // assigned to a unit, with a due day
	Rectified Status = "rectified" // the unit reports it fixed
	Closed    Status = "closed"    // checked and closed, the resident called back
)

// Statuses lists every status in the order of the loop.
var Statuses = []Status{Open, Assigned, Rectified, Closed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case Open, Assigned, Rectified, Closed:
		return true
	}
	return false
}

// Label is the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case Open:
		return "待交办"
	case Assigned:
		return "整改中"
	case Rectified:
		return "已整改待核验"
	case Closed:
		return "已办结"
	}
	return string(s)
}

// Source says how a problem was found.
type Source string

const (
	FromSuggestion Source = "suggestion" // a resident's suggestion in a response
	FromChecklist  Source = "checklist"  // a checklist category that stands out in an area
	FromInspection Source = "inspection" // 暗访, an inspection on site
	FromVisit      Source = "visit"      // a volunteer's door-to-door visit
	FromHotline    Source = "hotline"    // a 12345 hotline case
)

// Sources lists every source.
var Sources = []Source{FromSuggestion, FromChecklist, FromInspection, FromVisit, FromHotline}

// Valid reports whether s is a known source.
func (s Source) Valid() bool {
	for _, x := range Sources {
		if s == x {
			return true
		}
	}
	return false
}

// Label is the Chinese name of the source.
func (s Source) Label() string {
	switch s {
	case FromSuggestion:
		return "群众意见建议"
	case FromChecklist:
		return "问卷问题清单"
	case FromInspection:
		return "暗访检查"
	case FromVisit:
		return "入户走访"
	case FromHotline:
		return "12345热线"
	}
	return string(s)
}

// Other is the category of a problem that fits none of the checklist's options.
const Other = "其他"

// Problem is one problem and where it stands. Due is a local calendar day, held as
// midnight UTC of that date (see Day); it is due by the end of that day, local time.
type Problem struct {
	ID          int64
	AreaCode    string
	AreaName    string
	AreaPath    string
	Category    string
	Description string
	Source      Source
	Evidence    string
	ResponseID  string // "" when not raised from a response
	Status      Status
	RaisedByID  *int64
	RaisedBy    string
	RaisedAt    time.Time
	UnitCode    string
	UnitName    string
	UnitPath    string
	Assignee    string
	Due         *time.Time
	AssignedAt  *time.Time
	RectifiedAt *time.Time
	RectifyNote string
	ClosedAt    *time.Time
	CloseNote   string
	PublicNote  string
	Contacted   bool
	Satisfied   *bool
	Photos      int
}

// Fact is what the figures need of a problem.
func (p Problem) Fact() Fact {
	return Fact{Status: p.Status, RaisedAt: p.RaisedAt, Due: p.Due, ClosedAt: p.ClosedAt,
		Contacted: p.Contacted, Satisfied: p.Satisfied}
}

// Limits on what people type, in characters.
const (
	MaxDescription = 1000
	MaxNote        = 1000
	MaxPublicNote  = 300
	MaxAssignee    = 50
	MaxReason      = 500
	MaxCategory    = 50
	// MaxPhotos is the most photos one problem keeps.
	MaxPhotos = 12
)

// ErrTooManyPhotos is a photo beyond MaxPhotos.
var ErrTooManyPhotos = errors.New("problem: too many photos")

// InvalidError says which fields of a step are wrong, in Chinese, by field name.
type InvalidError struct {
	Fields map[string]string
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	b.WriteString("invalid problem step:")
	for k, v := range e.Fields {
		fmt.Fprintf(&b, " %s: %s;", k, v)
	}
	return b.String()
}

// check collects field errors; err returns nil when there are none.
type check map[string]string

func (c check) text(field, s string, required bool, max int, what string) {
	switch {
	case required && strings.TrimSpace(s) == "":
		c[field] = "请填写" + what
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		c[field] = what + "含有无法识别的字符"
	case utf8.RuneCountInString(s) > max:
		c[field] = fmt.Sprintf("%s不能超过 %d 个字", what, max)
	}
}

func (c check) err() error {
	if len(c) == 0 {
		return nil
	}
	return &InvalidError{Fields: c}
}

// New is a problem as raised.
type New struct {
	Category    string
	Description string
	Source      Source
	Evidence    string
}

// Validate checks a new problem against the categories allowed (the survey's
// checklist options; Other is always allowed).
func (n New) Validate(categories []string) error {
	c := check{}
	c.text("description", n.Description, true, MaxDescription, "问题描述")
	c.text("evidence", n.Evidence, false, MaxNote, "依据")
	if !n.Source.Valid() {
		c["source"] = "来源应为 suggestion、checklist、inspection、visit 或 hotline"
	}
	if n.Category != Other && !contains(categories, n.Category) {
		c["category"] = "请选择问题清单中的类别，或“其他”"
	}
	return c.err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Assignment is what assigning a problem needs: the unit's code (checked against the
// tree by the caller), the due day and optionally who in the unit.
type Assignment struct {
	Unit     string
	Due      string // YYYY-MM-DD, a local day
	Assignee string
}

// Validate checks an assignment made on the local day today and returns the due day.
func (a Assignment) Validate(today time.Time) (time.Time, error) {
	c := check{}
	if strings.TrimSpace(a.Unit) == "" {
		c["unit"] = "请选择承办单位"
	}
	c.text("assignee", a.Assignee, false, MaxAssignee, "承办人")
	due, err := ParseDay(a.Due)
	switch {
	case err != nil:
		c["due"] = "整改期限应为日期，如 2026-12-31"
	case due.Before(today):
		c["due"] = "整改期限不能早于今天"
	case due.After(today.AddDate(1, 0, 0)):
		c["due"] = "整改期限不能超过一年"
	}
	return due, c.err()
}

// Rectification is the unit's report of what it did.
type Rectification struct {
	Note string
}

// Validate checks a rectification.
func (r Rectification) Validate() error {
	c := check{}
	c.text("note", r.Note, true, MaxNote, "整改情况")
	return c.err()
}

// Closing is the check of the work and the call back to the resident.
type Closing struct {
	Note       string
	PublicNote string
	Contacted  bool
	Satisfied  *bool
}

// Validate checks a closing. Satisfaction can only be known from a call back.
func (cl Closing) Validate() error {
	c := check{}
	c.text("note", cl.Note, false, MaxNote, "核验意见")
	c.text("public_note", cl.PublicNote, true, MaxPublicNote, "公开说明")
	if cl.Satisfied != nil && !cl.Contacted {
		c["satisfied"] = "未回访群众时不能填写是否满意"
	}
	return c.err()
}

// Reopening says why closed or rectified work is sent back.
type Reopening struct {
	Reason string
}

// Validate checks a reopening.
func (r Reopening) Validate() error {
	c := check{}
	c.text("reason", r.Reason, true, MaxReason, "退回原因")
	return c.err()
}
