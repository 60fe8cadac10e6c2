package survey

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// form has one question of each kind, and a required text question shown only when
// callback is yes.
var form = &Definition{
	ID:    "form",
	Title: "表单",
	Questions: []Question{
		{ID: "single", Type: Single, Text: "单选", Required: true, Options: []Option{{ID: "a", Text: "甲"}, {ID: "b", Text: "乙"}}},
		{ID: "multi", Type: Multi, Text: "多选", Required: true, Max: 2, Options: []Option{{ID: "x", Text: "X"}, {ID: "y", Text: "Y"}, {ID: "z", Text: "Z"}}},
		{ID: "text", Type: Text, Text: "文字", Required: true, Max: 5},
		{ID: "phone", Type: Text, Text: "电话", Format: "phone"},
		{ID: "callback", Type: Single, Text: "回访", Options: []Option{{ID: "yes", Text: "是"}, {ID: "no", Text: "否"}}},
		{ID: "detail", Type: Text, Text: "回访说明", Required: true, ShowIf: &Condition{Question: "callback", In: []string{"yes"}}},
	},
}

func TestCheck(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{"single": "a", "multi": []string{"x"}, "text": "好"}
	}
	for _, tc := range []struct {
		name   string
		edit   map[string]any // merged into base; a nil value deletes the key
		want   Answers
		fields map[string]string
	}{
		{name: "valid", want: Answers{"single": "a", "multi": []string{"x"}, "text": "好"}},
		{name: "single missing", edit: map[string]any{"single": nil}, fields: map[string]string{"single": MsgChooseOne}},
		{name: "single empty", edit: map[string]any{"single": ""}, fields: map[string]string{"single": MsgChooseOne}},
		{name: "multi missing", edit: map[string]any{"multi": nil}, fields: map[string]string{"multi": MsgChooseSome}},
		{name: "multi empty list", edit: map[string]any{"multi": []any{}}, fields: map[string]string{"multi": MsgChooseSome}},
		{name: "text missing", edit: map[string]any{"text": nil}, fields: map[string]string{"text": MsgRequiredText}},
		{name: "text blank", edit: map[string]any{"text": " \t\n"}, fields: map[string]string{"text": MsgRequiredText}},
		{name: "unknown single option", edit: map[string]any{"single": "c"}, fields: map[string]string{"single": MsgUnknownOption}},
		{name: "two single options", edit: map[string]any{"single": []string{"a", "b"}}, fields: map[string]string{"single": MsgNotSingle}},
		{name: "number for option", edit: map[string]any{"single": 1.0}, fields: map[string]string{"single": MsgUnknownOption}},
		{name: "unknown multi option", edit: map[string]any{"multi": []string{"x", "w"}}, fields: map[string]string{"multi": MsgUnknownOption}},
		{name: "multi over max", edit: map[string]any{"multi": []string{"x", "y", "z"}}, fields: map[string]string{"multi": "最多选择2项"}},
		{name: "multi deduped and sorted", edit: map[string]any{"multi": []string{"z", "x", "z", ""}},
			want: Answers{"single": "a", "multi": []string{"x", "z"}, "text": "好"}},
		{name: "text trimmed", edit: map[string]any{"text": "  很好 \n"}, want: Answers{"single": "a", "multi": []string{"x"}, "text": "很好"}},
		{name: "text at max runes", edit: map[string]any{"text": "一二三四五"}, want: Answers{"single": "a", "multi": []string{"x"}, "text": "一二三四五"}},
		{name: "text over max runes", edit: map[string]any{"text": "一二三四五六"}, fields: map[string]string{"text": "最多填写5个字"}},
		{name: "list for text", edit: map[string]any{"text": []string{"a", "b"}}, fields: map[string]string{"text": MsgNotText}},
		{name: "number for text", edit: map[string]any{"text": 12.0}, fields: map[string]string{"text": MsgNotText}},
		{name: "mobile phone", edit: map[string]any{"phone": "13812345678"}, want: Answers{"single": "a", "multi": []string{"x"}, "text": "好", "phone": "13812345678"}},
		{name: "landline", edit: map[string]any{"phone": " 010-12345678 "}, want: Answers{"single": "a", "multi": []string{"x"}, "text": "好", "phone": "010-12345678"}},
		{name: "bad phone", edit: map[string]any{"phone": "12345"}, fields: map[string]string{"phone": MsgPhone}},
		{name: "hidden answer dropped", edit: map[string]any{"callback": "no", "detail": "请回电"},
			want: Answers{"single": "a", "multi": []string{"x"}, "text": "好", "callback": "no"}},
		{name: "hidden required not demanded", edit: map[string]any{"callback": "no"},
			want: Answers{"single": "a", "multi": []string{"x"}, "text": "好", "callback": "no"}},
		{name: "shown required demanded", edit: map[string]any{"callback": "yes"}, fields: map[string]string{"detail": MsgRequiredText}},
		{name: "shown answer kept", edit: map[string]any{"callback": "yes", "detail": "晚上"},
			want: Answers{"single": "a", "multi": []string{"x"}, "text": "好", "callback": "yes", "detail": "晚上"}},
		{name: "unknown question", edit: map[string]any{"q99": "a"}, fields: map[string]string{"q99": MsgUnknown}},
		{name: "several fields", edit: map[string]any{"single": nil, "multi": []string{"w"}, "text": nil},
			fields: map[string]string{"single": MsgChooseOne, "multi": MsgUnknownOption, "text": MsgRequiredText}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := base()
			for k, v := range tc.edit {
				if v == nil {
					delete(raw, k)
				} else {
					raw[k] = v
				}
			}
			got, err := form.Check(raw)
			checkResult(t, got, err, tc.want, tc.fields)
		})
	}
}

// TestCheckJSON feeds answers as encoding/json decodes them: lists arrive as []any.
func TestCheckJSON(t *testing.T) {
	for _, tc := range []struct {
		body   string
		want   Answers
		fields map[string]string
	}{
		{`{"single":"b","multi":["y","x","y"],"text":"中文 ","callback":["yes"],"detail":"上午"}`,
			Answers{"single": "b", "multi": []string{"x", "y"}, "text": "中文", "callback": "yes", "detail": "上午"}, nil},
		{`{"single":"a","multi":["x",1],"text":"好"}`, nil, map[string]string{"multi": MsgUnknownOption}},
		{`{"single":null,"multi":[],"text":""}`, nil,
			map[string]string{"single": MsgChooseOne, "multi": MsgChooseSome, "text": MsgRequiredText}},
	} {
		var raw map[string]any
		if err := json.Unmarshal([]byte(tc.body), &raw); err != nil {
			t.Fatal(err)
		}
		got, err := form.Check(raw)
		checkResult(t, got, err, tc.want, tc.fields)
	}
}

func checkResult(t *testing.T, got Answers, err error, want Answers, fields map[string]string) {
	t.Helper()
	if fields != nil {
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("got %v, want *ValidationError", err)
		}
		if g, w := fmt.Sprint(verr.Fields), fmt.Sprint(fields); g != w {
			t.Errorf("got %v, want %v", g, w)
		}
		return
	}
	if err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	// fmt prints maps sorted by key, so equal answers print alike.
	if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
		t.Errorf("got %v, want %v", g, w)
	}
}

func TestHash(t *testing.T) {
	a1, err1 := form.Check(map[string]any{"single": "a", "multi": []any{"y", "x"}, "text": " 好 "})
	a2, err2 := form.Check(map[string]any{"text": "好", "multi": []string{"x", "y", "x"}, "single": "a"})
	if err1 != nil || err2 != nil {
		t.Fatalf("got %v, %v, want nil", err1, err2)
	}
	h := Hash("form", "110101001001", ChannelQR, "", a1)
	if got := Hash("form", "110101001001", ChannelQR, "", a2); got != h {
		t.Errorf("same content: got %v, want %v", got, h)
	}
	for _, tc := range []struct {
		name      string
		survey    string
		area      string
		channel   Channel
		household string
		answers   Answers
	}{
		{"other survey", "form2", "110101001001", ChannelQR, "", a1},
		{"other area", "form", "110101001002", ChannelQR, "", a1},
		{"other channel", "form", "110101001001", ChannelVolunteer, "", a1},
		{"household", "form", "110101001001", ChannelQR, "hh1", a1},
		{"other answer", "form", "110101001001", ChannelQR, "", Answers{"single": "b", "multi": []string{"x", "y"}, "text": "好"}},
		{"extra answer", "form", "110101001001", ChannelQR, "", Answers{"single": "a", "multi": []string{"x", "y"}, "text": "好", "phone": "13812345678"}},
	} {
		if got := Hash(tc.survey, tc.area, tc.channel, tc.household, tc.answers); got == h {
			t.Errorf("%s: got %v, want a different hash", tc.name, got)
		}
	}
	if len(h) != 64 {
		t.Errorf("got %v, want 64 hex digits", h)
	}
}
