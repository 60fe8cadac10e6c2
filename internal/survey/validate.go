package survey

import (
	"fmt"
	"regexp"
	"strings"
)

// Problem is one defect of a definition. Path locates it in the file's structure in the
// form $.questions[3].options, so that a file reader can turn it into a line number.
type Problem struct {
	Path    string
	Message string
}

// DefinitionError lists every defect found in a definition.
type DefinitionError struct {
	Problems []Problem
}

func (e *DefinitionError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Path + ": " + p.Message
	}
	return "invalid survey definition: " + strings.Join(msgs, "; ")
}

// Bounds on a definition, so that a hostile file cannot make validation or the form
// page expensive.
const (
	MaxQuestions = 200
	MaxOptions   = 100
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// Validate checks that the definition is complete and consistent. It returns a
// *DefinitionError listing every problem, or nil.
func (d *Definition) Validate() error {
	v := &validator{}
	if !idPattern.MatchString(d.ID) {
		v.add("$.id", "id must be 1-40 lowercase letters, digits, '-' or '_'")
	}
	if strings.TrimSpace(d.Title) == "" {
		v.add("$.title", "title is required")
	}
	if len(d.Questions) == 0 {
		v.add("$.questions", "at least one question is required")
	}
	if len(d.Questions) > MaxQuestions || len(d.Indicators) > MaxQuestions {
		v.add("$", "at most %d questions and %d indicators", MaxQuestions, MaxQuestions)
		return &DefinitionError{Problems: v.problems}
	}
	for i, q := range d.Questions {
		if len(q.Options) > MaxOptions {
			v.add(fmt.Sprintf("$.questions[%d].options", i), "at most %d options", MaxOptions)
			return &DefinitionError{Problems: v.problems}
		}
	}
	seen := map[string]int{}
	for i := range d.Questions {
		v.question(d, i, seen)
	}
	indicators := map[string]bool{}
	for i := range d.Indicators {
		v.indicator(d, i, seen, indicators)
	}
	if d.Resident != nil {
		v.resident(d, seen)
	}
	if len(v.problems) > 0 {
		return &DefinitionError{Problems: v.problems}
	}
	return nil
}

type validator struct{ problems []Problem }

// resident checks that the resident answer is an option of a single-choice question.
func (v *validator) resident(d *Definition, seen map[string]int) {
	i := seen[d.Resident.Question]
	if i == 0 {
		v.add("$.resident.question", "resident question %q is not a question of the survey", d.Resident.Question)
		return
	}
	q := &d.Questions[i-1]
	if q.Type != Single {
		if q.Type == Multi || q.Type == Text { // an unknown type is reported with its question
			v.add("$.resident.question", "resident question %q must be a single choice", q.ID)
		}
		return
	}
	if _, ok := q.Option(d.Resident.Option); !ok {
		v.add("$.resident.option", "resident option %q is not an option of question %s", d.Resident.Option, q.ID)
	}
}

func (v *validator) add(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) question(d *Definition, i int, seen map[string]int) {
	q := &d.Questions[i]
	path := fmt.Sprintf("$.questions[%d]", i)
	switch {
	case !idPattern.MatchString(q.ID):
		v.add(path+".id", "question id %q must be 1-40 lowercase letters, digits, '-' or '_'", q.ID)
	case seen[q.ID] > 0:
		v.add(path+".id", "question id %q is used twice", q.ID)
	}
	if strings.TrimSpace(q.Text) == "" {
		v.add(path+".text", "question text is required")
	}
	switch q.Type {
	case Single, Multi:
		v.options(q, path)
		if q.Type == Multi && q.Max > len(q.Options) {
			v.add(path+".max", "max %d is more than the %d options", q.Max, len(q.Options))
		}
	case Text:
		if len(q.Options) > 0 {
			v.add(path+".options", "a text question has no options")
		}
		if q.Format != "" && q.Format != "phone" {
			v.add(path+".format", "unknown format %q (known: phone)", q.Format)
		}
	default:
		v.add(path+".type", "type must be single, multi or text, not %q", q.Type)
	}
	if q.Max < 0 {
		v.add(path+".max", "max must not be negative")
	}
	if q.ShowIf != nil {
		v.showIf(d, q.ShowIf, path+".show_if", seen)
	}
	// The first question with an id wins, as in Definition.Question, so that a
	// duplicate does not also make later references to the id fail.
	if seen[q.ID] == 0 {
		seen[q.ID] = i + 1
	}
}

func (v *validator) options(q *Question, path string) {
	if len(q.Options) < 2 {
		v.add(path+".options", "a %s question needs at least two options", q.Type)
	}
	ids := map[string]bool{}
	for j, o := range q.Options {
		opath := fmt.Sprintf("%s.options[%d]", path, j)
		switch {
		case !idPattern.MatchString(o.ID):
			v.add(opath+".id", "option id %q must be 1-40 lowercase letters, digits, '-' or '_'", o.ID)
		case ids[o.ID]:
			v.add(opath+".id", "option id %q is used twice in question %s", o.ID, q.ID)
		}
		if strings.TrimSpace(o.Text) == "" {
			v.add(opath+".text", "option text is required")
		}
		ids[o.ID] = true
	}
}

// showIf accepts only conditions on earlier single or multi questions, so that the
// form can be filled from top to bottom.
func (v *validator) showIf(d *Definition, c *Condition, path string, seen map[string]int) {
	idx := seen[c.Question]
	if idx == 0 {
		v.add(path+".question", "show_if must name an earlier question, not %q", c.Question)
		return
	}
	target := &d.Questions[idx-1]
	if target.Type == Text {
		v.add(path+".question", "show_if cannot depend on the text question %s", c.Question)
		return
	}
	if len(c.In) == 0 {
		v.add(path+".in", "show_if needs at least one option")
	}
	for k, id := range c.In {
		if _, ok := target.Option(id); !ok {
			v.add(fmt.Sprintf("%s.in[%d]", path, k), "question %s has no option %q", c.Question, id)
		}
	}
}

func (v *validator) indicator(d *Definition, i int, seen map[string]int, ids map[string]bool) {
	ind := &d.Indicators[i]
	path := fmt.Sprintf("$.indicators[%d]", i)
	switch {
	case !idPattern.MatchString(ind.ID):
		v.add(path+".id", "indicator id %q must be 1-40 lowercase letters, digits, '-' or '_'", ind.ID)
	case ids[ind.ID]:
		v.add(path+".id", "indicator id %q is used twice", ind.ID)
	}
	ids[ind.ID] = true
	if strings.TrimSpace(ind.Name) == "" {
		v.add(path+".name", "indicator name is required")
	}
	switch ind.Kind {
	case Awareness, Support, Satisfaction, Participation, Topic:
	default:
		v.add(path+".kind", "kind must be awareness, support, satisfaction, participation or topic, not %q", ind.Kind)
	}
	if ind.Target != nil && (*ind.Target < 0 || *ind.Target > 1) {
		v.add(path+".target", "target must be a rate between 0 and 1")
	}
	idx := seen[ind.Question]
	if idx == 0 {
		v.add(path+".question", "unknown question %q", ind.Question)
		return
	}
	q := &d.Questions[idx-1]
	if q.Type != Single {
		v.add(path+".question", "an indicator needs a single-choice question; %s is %s", q.ID, q.Type)
		return
	}
	if len(ind.Positive) == 0 {
		v.add(path+".positive", "at least one positive option is required")
	}
	excluded := map[string]bool{}
	for k, id := range ind.Excluded {
		if _, ok := q.Option(id); !ok {
			v.add(fmt.Sprintf("%s.excluded[%d]", path, k), "question %s has no option %q", q.ID, id)
		}
		excluded[id] = true
	}
	for k, id := range ind.Positive {
		if _, ok := q.Option(id); !ok {
			v.add(fmt.Sprintf("%s.positive[%d]", path, k), "question %s has no option %q", q.ID, id)
		} else if excluded[id] {
			v.add(fmt.Sprintf("%s.positive[%d]", path, k), "option %q cannot be both positive and excluded", id)
		}
	}
}
