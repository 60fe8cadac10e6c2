package problem

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNext(t *testing.T) {
	for _, tc := range []struct {
		from Status
		step Action
		want Status // "" for a refused step
	}{
		{Open, Assign, Assigned},
		{Assigned, Assign, Assigned},
		{Rectified, Assign, ""},
		{Closed, Assign, ""},
		{Open, Rectify, ""},
		{Assigned, Rectify, Rectified},
		{Rectified, Rectify, ""},
		{Closed, Rectify, ""},
		{Open, Close, ""},
		{Assigned, Close, ""},
		{Rectified, Close, Closed},
		{Closed, Close, ""},
		{Open, Reopen, ""},
		{Assigned, Reopen, ""},
		{Rectified, Reopen, Assigned},
		{Closed, Reopen, Assigned},
		{Open, Photo, Open},
		{Assigned, Photo, Assigned},
		{Rectified, Photo, Rectified},
		{Closed, Photo, ""},
		{Open, Raise, ""},
	} {
		got, err := Next(tc.from, tc.step)
		var te *TransitionError
		if tc.want == "" {
			if !errors.As(err, &te) || te.From != tc.from || te.Action != tc.step {
				t.Errorf("%s from %s: got %q, %v, want a TransitionError", tc.step, tc.from, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s from %s: got %q, %v, want %q", tc.step, tc.from, got, err, tc.want)
		}
	}
}

func TestTransitionMessage(t *testing.T) {
	_, err := Next(Closed, Rectify)
	var te *TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a TransitionError", err)
	}
	if got, want := te.Message(), "该问题当前状态为“已办结”，不能进行“整改”"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	cats := []string{"环境卫生", "车辆乱停放、停车难"}
	yes := true
	today := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		err    error
		fields []string // fields named, sorted
	}{
		{"new ok", New{Category: "环境卫生", Description: "楼道堆物", Source: FromInspection}.Validate(cats), nil},
		{"new other", New{Category: Other, Description: "x", Source: FromHotline}.Validate(cats), nil},
		{"new bad", New{Category: "卫生", Description: " ", Source: "mail"}.Validate(cats), []string{"category", "description", "source"}},
		{"new long", New{Category: Other, Description: strings.Repeat("字", MaxDescription+1), Source: FromVisit}.Validate(cats), []string{"description"}},
		{"new nul", New{Category: Other, Description: "a\x00b", Source: FromVisit}.Validate(cats), []string{"description"}},
		{"rectify empty", Rectification{Note: ""}.Validate(), []string{"note"}},
		{"rectify ok", Rectification{Note: "已清理"}.Validate(), nil},
		{"close no public note", Closing{Contacted: true}.Validate(), []string{"public_note"}},
		{"close satisfied without call", Closing{PublicNote: "已清理", Satisfied: &yes}.Validate(), []string{"satisfied"}},
		{"close ok", Closing{PublicNote: "已清理", Contacted: true, Satisfied: &yes}.Validate(), nil},
		{"reopen no reason", Reopening{}.Validate(), []string{"reason"}},
	} {
		var ie *InvalidError
		switch {
		case tc.fields == nil && tc.err != nil:
			t.Errorf("%s: got %v, want nil", tc.name, tc.err)
		case tc.fields != nil && !errors.As(tc.err, &ie):
			t.Errorf("%s: got %v, want an InvalidError", tc.name, tc.err)
		case tc.fields != nil:
			for _, f := range tc.fields {
				if ie.Fields[f] == "" {
					t.Errorf("%s: got fields %v, want %s named", tc.name, ie.Fields, f)
				}
			}
			if len(ie.Fields) != len(tc.fields) {
				t.Errorf("%s: got fields %v, want only %v", tc.name, ie.Fields, tc.fields)
			}
		}
	}
	for _, tc := range []struct {
		due  string
		want string // "" when valid; else the message
	}{
		{"2026-12-03", ""},
		{"2026-12-31", ""},
		{"2026-12-02", "整改期限不能早于今天"},
		{"2027-12-04", "整改期限不能超过一年"},
		{"2026-13-01", "整改期限应为日期，如 2026-12-31"},
		{"", "整改期限应为日期，如 2026-12-31"},
	} {
		due, err := Assignment{Unit: "990100001001", Due: tc.due}.Validate(today)
		var ie *InvalidError
		switch {
		case tc.want == "" && (err != nil || due.Format(time.DateOnly) != tc.due):
			t.Errorf("due %q: got %v, %v, want the day", tc.due, due, err)
		case tc.want != "" && (!errors.As(err, &ie) || ie.Fields["due"] != tc.want):
			t.Errorf("due %q: got %v, want %q", tc.due, err, tc.want)
		}
	}
}

func TestMessagesArePlain(t *testing.T) {
	due := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	p := Problem{ID: 7, AreaName: "望江社区", UnitName: "望江社区", Category: "环境卫生", Source: FromSuggestion,
		Description: "楼道[点此](http://evil.example)\n### 标题", Due: &due, Assignee: "张三"}
	for _, f := range []func(Problem, string) (string, string){AssignedMessage, OverdueMessage} {
		title, body := f(p, "https://minyi.example/problems/7")
		if !strings.Contains(title, "望江社区") || !strings.Contains(body, "2026-12-05") ||
			!strings.Contains(body, "[查看并整改](https://minyi.example/problems/7)") {
			t.Errorf("got %q / %q, want unit, due day and link", title, body)
		}
		if strings.Contains(body, "(http://evil") || strings.Contains(body, "\n### 标题") {
			t.Errorf("got %q, want the description's markdown neutralised", body)
		}
	}
}
