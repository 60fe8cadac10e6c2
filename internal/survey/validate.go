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
		v.add("$.id", "问卷编号应为 1–40 个小写字母、数字、- 或 _")
	}
	if strings.TrimSpace(d.Title) == "" {
		v.add("$.title", "缺少问卷标题")
	}
	if len(d.Questions) == 0 {
		v.add("$.questions", "至少需要一道题")
	}
	if len(d.Questions) > MaxQuestions || len(d.Indicators) > MaxQuestions {
		v.add("$", "最多 %d 道题和 %d 个指标", MaxQuestions, MaxQuestions)
		return &DefinitionError{Problems: v.problems}
	}
	for i, q := range d.Questions {
		if len(q.Options) > MaxOptions {
			v.add(fmt.Sprintf("$.questions[%d].options", i), "最多 %d 个选项", MaxOptions)
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
		v.add("$.resident.question", "居民身份题 %q 不是问卷中的题目", d.Resident.Question)
		return
	}
	q := &d.Questions[i-1]
	if q.Type != Single {
		if q.Type == Multi || q.Type == Text { // an unknown type is reported with its question
			v.add("$.resident.question", "居民身份题 %q 必须是单选题", q.ID)
		}
		return
	}
	if _, ok := q.Option(d.Resident.Option); !ok {
		v.add("$.resident.option", "居民选项 %q 不是题目 %s 的选项", d.Resident.Option, q.ID)
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
		v.add(path+".id", "题号 %q 应为 1–40 个小写字母、数字、- 或 _", q.ID)
	case seen[q.ID] > 0:
		v.add(path+".id", "题号 %q 重复", q.ID)
	}
	if strings.TrimSpace(q.Text) == "" {
		v.add(path+".text", "缺少题目文字")
	}
	switch q.Type {
	case Single, Multi:
		v.options(q, path)
		if q.Type == Multi && q.Max > len(q.Options) {
			v.add(path+".max", "最多可选 %d 项，超过了选项数 %d", q.Max, len(q.Options))
		}
	case Text:
		if len(q.Options) > 0 {
			v.add(path+".options", "文字题不能有选项")
		}
		if q.Format != "" && q.Format != "phone" {
			v.add(path+".format", "未知的格式 %q（可用：phone）", q.Format)
		}
	default:
		v.add(path+".type", "题型应为 single、multi 或 text，而不是 %q", q.Type)
	}
	if q.Max < 0 {
		v.add(path+".max", "max 不能为负数")
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
		v.add(path+".options", "%s 题至少需要两个选项", q.Type)
	}
	ids := map[string]bool{}
	for j, o := range q.Options {
		opath := fmt.Sprintf("%s.options[%d]", path, j)
		switch {
		case !idPattern.MatchString(o.ID):
			v.add(opath+".id", "选项编号 %q 应为 1–40 个小写字母、数字、- 或 _", o.ID)
		case ids[o.ID]:
			v.add(opath+".id", "选项编号 %q 在题目 %s 中重复", o.ID, q.ID)
		}
		if strings.TrimSpace(o.Text) == "" {
			v.add(opath+".text", "缺少选项文字")
		}
		ids[o.ID] = true
	}
}

// showIf accepts only conditions on earlier single or multi questions, so that the
// form can be filled from top to bottom.
func (v *validator) showIf(d *Definition, c *Condition, path string, seen map[string]int) {
	idx := seen[c.Question]
	if idx == 0 {
		v.add(path+".question", "show_if 应指向前面的题目，而不是 %q", c.Question)
		return
	}
	target := &d.Questions[idx-1]
	if target.Type == Text {
		v.add(path+".question", "show_if 不能依据文字题 %s", c.Question)
		return
	}
	if len(c.In) == 0 {
		v.add(path+".in", "show_if 至少需要一个选项")
	}
	for k, id := range c.In {
		if _, ok := target.Option(id); !ok {
			v.add(fmt.Sprintf("%s.in[%d]", path, k), "题目 %s 没有选项 %q", c.Question, id)
		}
	}
}

func (v *validator) indicator(d *Definition, i int, seen map[string]int, ids map[string]bool) {
	ind := &d.Indicators[i]
	path := fmt.Sprintf("$.indicators[%d]", i)
	switch {
	case !idPattern.MatchString(ind.ID):
		v.add(path+".id", "指标编号 %q 应为 1–40 个小写字母、数字、- 或 _", ind.ID)
	case ids[ind.ID]:
		v.add(path+".id", "指标编号 %q 重复", ind.ID)
	}
	ids[ind.ID] = true
	if strings.TrimSpace(ind.Name) == "" {
		v.add(path+".name", "缺少指标名称")
	}
	switch ind.Kind {
	case Awareness, Support, Satisfaction, Participation, Topic:
	default:
		v.add(path+".kind", "指标类型应为 awareness、support、satisfaction、participation 或 topic，而不是 %q", ind.Kind)
	}
	if ind.Target != nil && (*ind.Target < 0 || *ind.Target > 1) {
		v.add(path+".target", "目标值应为 0 到 1 之间的比率")
	}
	idx := seen[ind.Question]
	if idx == 0 {
		v.add(path+".question", "问卷中没有题目 %q", ind.Question)
		return
	}
	q := &d.Questions[idx-1]
	if q.Type != Single {
		v.add(path+".question", "指标须基于单选题；%s 是 %s 题", q.ID, q.Type)
		return
	}
	if len(ind.Positive) == 0 {
		v.add(path+".positive", "至少需要一个正向选项")
	}
	excluded := map[string]bool{}
	for k, id := range ind.Excluded {
		if _, ok := q.Option(id); !ok {
			v.add(fmt.Sprintf("%s.excluded[%d]", path, k), "题目 %s 没有选项 %q", q.ID, id)
		}
		excluded[id] = true
	}
	for k, id := range ind.Positive {
		if _, ok := q.Option(id); !ok {
			v.add(fmt.Sprintf("%s.positive[%d]", path, k), "题目 %s 没有选项 %q", q.ID, id)
		} else if excluded[id] {
			v.add(fmt.Sprintf("%s.positive[%d]", path, k), "选项 %q 不能既是正向选项又被排除", id)
		}
	}
}
