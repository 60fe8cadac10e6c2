package survey

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// sample returns a small valid definition; each test case breaks one thing.
func sample() *Definition {
	target := 0.95
	return &Definition{
		ID:    "demo",
		Title: "演示问卷",
		Questions: []Question{
			{ID: "q1", Type: Single, Text: "您支持吗?", Required: true, Options: []Option{
				{ID: "yes", Text: "支持"}, {ID: "no", Text: "不支持"}, {ID: "unsure", Text: "说不清"},
			}},
			{ID: "q2", Type: Multi, Text: "问题", Max: 2, Options: []Option{
				{ID: "a", Text: "甲"}, {ID: "b", Text: "乙"}, {ID: "c", Text: "丙"},
			}},
			{ID: "q3", Type: Text, Text: "电话", Format: "phone", ShowIf: &Condition{Question: "q1", In: []string{"yes"}}},
		},
		Indicators: []Indicator{
			{ID: "support", Name: "支持率", Kind: Support, Question: "q1", Positive: []string{"yes"}, Excluded: []string{"unsure"}, Target: &target},
		},
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(d *Definition)
		paths []string
		msg   string // in the first problem's message
	}{
		{"valid", func(d *Definition) {}, nil, ""},
		{"bad survey id", func(d *Definition) { d.ID = "Demo Survey" }, []string{"$.id"}, "小写字母"},
		{"no title", func(d *Definition) { d.Title = "  " }, []string{"$.title"}, "缺少问卷标题"},
		{"no questions", func(d *Definition) { d.Questions = nil; d.Indicators = nil }, []string{"$.questions"}, "至少需要一道题"},
		{"bad question id", func(d *Definition) { d.Questions[1].ID = "q 2" }, []string{"$.questions[1].id"}, `题号 "q 2"`},
		{"duplicate question id", func(d *Definition) { d.Questions[1].ID = "q1"; d.Questions[1].Type = Single },
			[]string{"$.questions[1].id"}, `题号 "q1" 重复`},
		{"no question text", func(d *Definition) { d.Questions[0].Text = "" }, []string{"$.questions[0].text"}, "缺少题目文字"},
		{"bad type", func(d *Definition) { d.Questions[1].Type = "dropdown" }, []string{"$.questions[1].type"}, `而不是 "dropdown"`},
		{"one option", func(d *Definition) { d.Questions[1].Options = d.Questions[1].Options[:1]; d.Questions[1].Max = 0 },
			[]string{"$.questions[1].options"}, "至少需要两个选项"},
		{"bad option id", func(d *Definition) { d.Questions[1].Options[2].ID = "C" }, []string{"$.questions[1].options[2].id"}, `选项编号 "C"`},
		{"duplicate option id", func(d *Definition) { d.Questions[1].Options[2].ID = "a" },
			[]string{"$.questions[1].options[2].id"}, `选项编号 "a" 在题目 q2 中重复`},
		{"no option text", func(d *Definition) { d.Questions[1].Options[0].Text = " " }, []string{"$.questions[1].options[0].text"}, "缺少选项文字"},
		{"multi max over options", func(d *Definition) { d.Questions[1].Max = 4 }, []string{"$.questions[1].max"}, "最多可选 4 项，超过了选项数 3"},
		{"negative max", func(d *Definition) { d.Questions[2].Max = -1 }, []string{"$.questions[2].max"}, "不能为负数"},
		{"text with options", func(d *Definition) { d.Questions[2].Options = []Option{{ID: "x", Text: "x"}} },
			[]string{"$.questions[2].options"}, "文字题不能有选项"},
		{"unknown format", func(d *Definition) { d.Questions[2].Format = "email" }, []string{"$.questions[2].format"}, `未知的格式 "email"`},
		{"show_if on later question", func(d *Definition) { d.Questions[0].ShowIf = &Condition{Question: "q2", In: []string{"a"}} },
			[]string{"$.questions[0].show_if.question"}, `前面的题目，而不是 "q2"`},
		{"show_if on itself", func(d *Definition) { d.Questions[2].ShowIf.Question = "q3" },
			[]string{"$.questions[2].show_if.question"}, `前面的题目，而不是 "q3"`},
		{"show_if on text question", func(d *Definition) {
			d.Questions = append(d.Questions, Question{ID: "q4", Type: Text, Text: "x", ShowIf: &Condition{Question: "q3", In: []string{"x"}}})
		}, []string{"$.questions[3].show_if.question"}, "文字题 q3"},
		{"show_if without options", func(d *Definition) { d.Questions[2].ShowIf.In = nil }, []string{"$.questions[2].show_if.in"}, "至少需要一个选项"},
		{"show_if on unknown option", func(d *Definition) { d.Questions[2].ShowIf.In = []string{"yes", "maybe"} },
			[]string{"$.questions[2].show_if.in[1]"}, `题目 q1 没有选项 "maybe"`},
		{"bad indicator id", func(d *Definition) { d.Indicators[0].ID = "" }, []string{"$.indicators[0].id"}, `指标编号 ""`},
		{"duplicate indicator id", func(d *Definition) { d.Indicators = append(d.Indicators, d.Indicators[0]) },
			[]string{"$.indicators[1].id"}, `指标编号 "support" 重复`},
		{"no indicator name", func(d *Definition) { d.Indicators[0].Name = "" }, []string{"$.indicators[0].name"}, "缺少指标名称"},
		{"bad kind", func(d *Definition) { d.Indicators[0].Kind = "fame" }, []string{"$.indicators[0].kind"}, `而不是 "fame"`},
		{"target over 1", func(d *Definition) { v := 95.0; d.Indicators[0].Target = &v }, []string{"$.indicators[0].target"}, "0 到 1 之间"},
		{"unknown question", func(d *Definition) { d.Indicators[0].Question = "q9" }, []string{"$.indicators[0].question"}, `问卷中没有题目 "q9"`},
		{"multi question", func(d *Definition) { d.Indicators[0].Question = "q2" }, []string{"$.indicators[0].question"}, "q2 是 multi"},
		{"no positive", func(d *Definition) { d.Indicators[0].Positive = nil }, []string{"$.indicators[0].positive"}, "至少需要一个正向选项"},
		{"unknown positive", func(d *Definition) { d.Indicators[0].Positive = []string{"yes", "maybe"} },
			[]string{"$.indicators[0].positive[1]"}, `题目 q1 没有选项 "maybe"`},
		{"resident answer", func(d *Definition) { d.Resident = &Choice{Question: "q1", Option: "yes"} }, nil, ""},
		{"resident on an unknown question", func(d *Definition) { d.Resident = &Choice{Question: "q9", Option: "yes"} },
			[]string{"$.resident.question"}, `居民身份题 "q9" 不是问卷中的题目`},
		{"resident on a multiple choice", func(d *Definition) { d.Resident = &Choice{Question: "q2", Option: "a"} },
			[]string{"$.resident.question"}, "必须是单选题"},
		{"resident on an unknown option", func(d *Definition) { d.Resident = &Choice{Question: "q1", Option: "local"} },
			[]string{"$.resident.option"}, `居民选项 "local" 不是题目 q1 的选项`},
		{"unknown excluded", func(d *Definition) { d.Indicators[0].Excluded = []string{"dunno"} },
			[]string{"$.indicators[0].excluded[0]"}, `题目 q1 没有选项 "dunno"`},
		{"positive and excluded", func(d *Definition) { d.Indicators[0].Positive = []string{"yes", "unsure"} },
			[]string{"$.indicators[0].positive[1]"}, `"unsure" 不能既是正向选项又被排除`},
		{"several problems", func(d *Definition) { d.Title = ""; d.Questions[0].Options[1].ID = "yes"; d.Indicators[0].Kind = "" },
			[]string{"$.title", "$.questions[0].options[1].id", "$.indicators[0].kind"}, "缺少问卷标题"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sample()
			tc.edit(d)
			err := d.Validate()
			if tc.paths == nil {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var derr *DefinitionError
			if !errors.As(err, &derr) {
				t.Fatalf("got %v, want *DefinitionError", err)
			}
			var paths []string
			for _, p := range derr.Problems {
				paths = append(paths, p.Path)
			}
			if !slices.Equal(paths, tc.paths) {
				t.Fatalf("got %v, want %v", paths, tc.paths)
			}
			if got := derr.Problems[0].Message; !strings.Contains(got, tc.msg) {
				t.Errorf("got %v, want a message containing %v", got, tc.msg)
			}
		})
	}
}

func TestDefinitionErrorMessage(t *testing.T) {
	err := &DefinitionError{Problems: []Problem{{"$.id", "bad"}, {"$.title", "missing"}}}
	if got, want := err.Error(), "invalid survey definition: $.id: bad; $.title: missing"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
