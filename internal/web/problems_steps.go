package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/notify"
	"minyi/internal/problem"
	"minyi/internal/store"
	"minyi/internal/survey"
)

type assignInput struct {
	Unit     string `json:"unit" form:"unit"`
	Due      string `json:"due" form:"due"`
	Assignee string `json:"assignee" form:"assignee"`
}

// assignProblem handles POST /api/v1/problems/:id/assign {unit, due[, assignee]}:
// the unit (an area of the caller's jurisdiction) is to fix the problem by the end of
// the local day due. With MINYI_NOTIFY_WEBHOOK set, the unit's group is told.
func (s *Server) assignProblem(c echo.Context) error {
	return stepOn(s, c, func(in assignInput) (store.Step, map[string]any, error) {
		in.Unit, in.Assignee = strings.TrimSpace(in.Unit), strings.TrimSpace(in.Assignee)
		a := problem.Assignment{Unit: in.Unit, Due: strings.TrimSpace(in.Due), Assignee: in.Assignee}
		due, err := a.Validate(problem.Day(s.now(), s.cfg.Location))
		if err != nil {
			return store.Step{}, nil, err
		}
		unit, err := s.cache.Area(c.Request().Context(), in.Unit)
		if err != nil && !errors.Is(err, survey.ErrNotFound) {
			return store.Step{}, nil, err
		}
		if err != nil || !principalOf(c).sees(unit) {
			return store.Step{}, nil, &apiError{Status: 422, Code: "invalid", Message: "填写内容有误，请检查标红的项目",
				Fields: map[string]string{"unit": "找不到该承办单位，或不在您的辖区内"}}
		}
		st := store.Step{Action: problem.Assign, UnitID: unit.ID, Due: due, Assignee: in.Assignee,
			Note: unit.Name + "，" + in.Due + " 前完成"}
		if s.cfg.NotifyWebhook != "" {
			st.Notify = notify.Assigned(s.cfg.BaseURL)
		}
		return st, map[string]any{"unit": unit.Code, "due": in.Due, "assignee": in.Assignee}, nil
	})
}

type noteInput struct {
	Note   string `json:"note" form:"note"`
	Reason string `json:"reason" form:"reason"`
}

// rectifyProblem handles POST /api/v1/problems/:id/rectify {note}: the unit reports
// what it did.
func (s *Server) rectifyProblem(c echo.Context) error {
	return stepOn(s, c, func(in noteInput) (store.Step, map[string]any, error) {
		r := problem.Rectification{Note: strings.TrimSpace(in.Note)}
		return store.Step{Action: problem.Rectify, Note: r.Note}, nil, r.Validate()
	})
}

type closeInput struct {
	Note       string `json:"note"`
	PublicNote string `json:"public_note"`
	Contacted  bool   `json:"contacted"`
	Satisfied  *bool  `json:"satisfied"`
}

// closeProblem handles POST /api/v1/problems/:id/close {note, public_note,
// contacted, satisfied}: the work was checked; contacted says whether the resident
// who left a phone number was called back, satisfied (true, false or null) what
// they said. public_note is what residents read on the 问效 page.
func (s *Server) closeProblem(c echo.Context) error {
	return stepOn(s, c, func(in closeInput) (store.Step, map[string]any, error) {
		cl := problem.Closing{Note: strings.TrimSpace(in.Note), PublicNote: strings.TrimSpace(in.PublicNote),
			Contacted: in.Contacted, Satisfied: in.Satisfied}
		return store.Step{Action: problem.Close, Closing: cl, Note: cl.Note},
			map[string]any{"contacted": cl.Contacted, "satisfied": cl.Satisfied}, cl.Validate()
	})
}

// reopenProblem handles POST /api/v1/problems/:id/reopen {reason}: rectified or
// closed work that did not hold goes back to its unit.
func (s *Server) reopenProblem(c echo.Context) error {
	return stepOn(s, c, func(in noteInput) (store.Step, map[string]any, error) {
		r := problem.Reopening{Reason: strings.TrimSpace(in.Reason)}
		return store.Step{Action: problem.Reopen, Note: r.Reason}, nil, r.Validate()
	})
}

// stepOn takes a step on the problem the :id parameter names, if the caller may see
// it: the request body is bound into In, and step turns it into the step to take and
// the detail to audit, or into the error that refuses it.
func stepOn[In any](s *Server, c echo.Context, step func(In) (store.Step, map[string]any, error)) error {
	x, err := s.scopedProblem(c)
	if err != nil {
		return err
	}
	var in In
	if err := bindBody(c, &in); err != nil {
		return err
	}
	st, detail, err := step(in)
	if err != nil {
		return err
	}
	return s.takeStep(c, x, st, detail)
}

// takeStep takes a step on a problem, audits it as problem.<step> and replies the
// problem as the step left it. The 问效 page shows closed work, so closing or
// reopening drops its cached lists.
func (s *Server) takeStep(c echo.Context, x problem.Problem, st store.Step, detail map[string]any) error {
	p := principalOf(c)
	st.UserID, st.Username, st.Detail = &p.ID, p.Username, detail
	out, _, err := s.store.TakeStep(c.Request().Context(), x.ID, st)
	if err != nil {
		return err
	}
	if st.Action == problem.Close || st.Action == problem.Reopen {
		s.publicProblems.forget()
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["from"], detail["to"] = x.Status, out.Status
	s.audit(c, p, "problem."+string(st.Action), x.AreaCode, strconv.FormatInt(x.ID, 10), detail)
	return c.JSON(200, s.replyOf(out))
}
