package problem

import (
	"fmt"
	"slices"
)

// Action is a step of the loop.
type Action string

const (
	Raise   Action = "raise"
	Assign  Action = "assign"
	Rectify Action = "rectify"
	Photo   Action = "photo"
	Close   Action = "close"
	Reopen  Action = "reopen"
)

// Label is the Chinese name of the step.
func (a Action) Label() string {
	switch a {
	case Raise:
		return "发现"
	case Assign:
		return "交办"
	case Rectify:
		return "整改"
	case Photo:
		return "上传照片"
	case Close:
		return "办结"
	case Reopen:
		return "退回重办"
	}
	return string(a)
}

// steps lists, for each step, the statuses it may start from and the status it
// leads to ("" keeps the status). Assigning an assigned problem again moves it to
// another unit or another due day; a reopened problem goes back to its unit.
var steps = map[Action]struct {
	from []Status
	to   Status
}{
	Assign:  {[]Status{Open, Assigned}, Assigned},
	Rectify: {[]Status{Assigned}, Rectified},
	Photo:   {[]Status{Open, Assigned, Rectified}, ""},
	Close:   {[]Status{Rectified}, Closed},
	Reopen:  {[]Status{Rectified, Closed}, Assigned},
}

// TransitionError is a step that the problem's status does not allow.
type TransitionError struct {
	From   Status
	Action Action
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("a problem that is %s cannot take the step %s", e.From, e.Action)
}

// Message is the refusal in Chinese, e.g. 该问题当前状态为“已办结”，不能进行“整改”.
func (e *TransitionError) Message() string {
	return fmt.Sprintf("该问题当前状态为“%s”，不能进行“%s”", e.From.Label(), e.Action.Label())
}

// Next is the status a problem in status from reaches by the step, or a
// *TransitionError when the step is not allowed from there.
func Next(from Status, a Action) (Status, error) {
	st, ok := steps[a]
	if !ok || !slices.Contains(st.from, from) {
		return "", &TransitionError{From: from, Action: a}
	}
	if st.to == "" {
		return from, nil
	}
	return st.to, nil
}
