package web

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/problem"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// problemInput is a problem as raised through the API.
type problemInput struct {
	Area        string `json:"area" form:"area"`
	Category    string `json:"category" form:"category"`
	Description string `json:"description" form:"description"`
	Source      string `json:"source" form:"source"`
	Evidence    string `json:"evidence" form:"evidence"`
	ResponseID  string `json:"response_id" form:"response_id"`
}

// createProblem handles POST /api/v1/problems: an official raises a problem in their
// jurisdiction (from a suggestion, the checklist, an inspection or a hotline case), a
// volunteer from a visit to an area they are assigned to. 201 {"id"}.
func (s *Server) createProblem(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	var in problemInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	if err := s.limit(ctx, "user", strconv.FormatInt(p.ID, 10), s.cfg.Limits.PerUser); err != nil {
		return err
	}
	a, err := s.cache.Area(ctx, strings.TrimSpace(in.Area))
	if err != nil {
		return err
	}
	switch p.Role {
	case account.Volunteer:
		if err := s.intake.MayEnter(ctx, p.entrant(), a); err != nil {
			return err
		}
		if in.Source != string(problem.FromVisit) || in.ResponseID != "" {
			return invalidField("source", "志愿者只能登记入户走访中发现的问题")
		}
	default:
		if !p.sees(a) {
			return survey.ErrNotFound
		}
	}
	cats, ids, err := s.problemCategories(ctx)
	if err != nil {
		return err
	}
	category := strings.TrimSpace(in.Category)
	if text, ok := ids[category]; ok {
		category = text
	}
	n := problem.New{Category: category, Description: strings.TrimSpace(in.Description),
		Source: problem.Source(in.Source), Evidence: strings.TrimSpace(in.Evidence)}
	if err := n.Validate(cats); err != nil {
		return err
	}
	if in.ResponseID != "" {
		if err := s.checkResponse(ctx, in.ResponseID, n.Source, a); err != nil {
			return err
		}
	}
	id, err := s.store.CreateProblem(ctx, store.NewProblem{New: n, AreaID: a.ID, ResponseID: in.ResponseID,
		UserID: &p.ID, Username: p.Username})
	if err != nil {
		return err
	}
	s.audit(c, p, "problem.create", a.Code, strconv.FormatInt(id, 10),
		map[string]any{"source": n.Source, "category": n.Category, "response": in.ResponseID})
	return c.JSON(201, map[string]int64{"id": id})
}

// checkResponse makes sure a problem raised from a suggestion names a response
// answered in the problem's area (or below it).
func (s *Server) checkResponse(ctx context.Context, id string, src problem.Source, a area.Area) error {
	if src != problem.FromSuggestion {
		return invalidField("response_id", "只有来源为群众意见建议的问题才能关联答卷")
	}
	if _, err := uuid.Parse(id); err != nil {
		return invalidField("response_id", "答卷编号有误")
	}
	path, err := s.store.ResponseAreaPath(ctx, id)
	if errors.Is(err, survey.ErrNotFound) || (err == nil && !strings.HasPrefix(path, a.Path)) {
		return invalidField("response_id", "找不到该区域的这份答卷")
	}
	return err
}

// problemCategories are the categories a problem may have: the options of the first
// multiple-choice question (the problem checklist) of each survey's latest version,
// by text, and the texts by option id.
func (s *Server) problemCategories(ctx context.Context) ([]string, map[string]string, error) {
	surveys, err := s.store.Surveys(ctx, s.now())
	if err != nil {
		return nil, nil, err
	}
	var texts []string
	ids := map[string]string{}
	for _, sv := range surveys {
		def, err := s.cache.Definition(ctx, sv.ID, 0)
		if err != nil {
			return nil, nil, err
		}
		if q := checklistOf(def); q != nil {
			for _, o := range q.Options {
				if _, seen := ids[o.ID]; !seen && o.Text != problem.Other {
					texts = append(texts, o.Text)
				}
				ids[o.ID] = o.Text
			}
		}
	}
	return texts, ids, nil
}

// checklistOf is the survey's problem checklist: its first multiple-choice question.
func checklistOf(def *survey.Definition) *survey.Question {
	for i := range def.Questions {
		if def.Questions[i].Type == survey.Multi {
			return &def.Questions[i]
		}
	}
	return nil
}

type problemsReply struct {
	Area  placeRef       `json:"area"`
	Items []problemReply `json:"items"`
	More  bool           `json:"more"`
}

// listProblems handles GET /api/v1/problems?area=CODE[&status=S][&overdue=1][&unit=1]
// [&limit=N&offset=M]: the problems located in the area's subtree or assigned to a
// unit in it (unit=1: only those assigned to a unit in it), overdue ones first. A
// volunteer lists only the problems they raised.
func (s *Server) listProblems(c echo.Context) error {
	p := principalOf(c)
	q := c.QueryParams()
	f := store.ProblemFilter{Status: problem.Status(q.Get("status")), Overdue: q.Get("overdue") == "1",
		Today: s.today()}
	if f.Status != "" && !f.Status.Valid() {
		return invalidParam("status", "status 应为 open、assigned、rectified 或 closed")
	}
	limit, err := boundedInt(q.Get("limit"), 100, 1, 500)
	if err != nil {
		return invalidParam("limit", "limit 应为 1 到 500 之间的整数")
	}
	offset, err := boundedInt(q.Get("offset"), 0, 0, 100000)
	if err != nil {
		return invalidParam("offset", "offset 应为非负整数")
	}
	f.Limit, f.Offset = limit+1, offset
	reply := problemsReply{Items: []problemReply{}}
	if p.Role == account.Volunteer {
		f.RaisedBy = p.ID
	} else {
		a, err := s.scopedArea(c, q.Get("area"))
		if err != nil {
			return err
		}
		reply.Area = placeRef{a.Code, a.Name}
		f.Path = a.Path
		if q.Get("unit") == "1" {
			f.UnitPath = a.Path
		}
	}
	list, err := s.store.Problems(c.Request().Context(), f)
	if err != nil {
		return err
	}
	reply.More = len(list) > limit
	for _, x := range list[:min(len(list), limit)] {
		reply.Items = append(reply.Items, s.replyOf(x))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// getProblem handles GET /api/v1/problems/:id: the problem with its photos and log.
func (s *Server) getProblem(c echo.Context) error {
	x, err := s.scopedProblem(c)
	if err != nil {
		return err
	}
	r, err := s.fullReply(c.Request().Context(), x)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, r)
}

// fullReply is a problem with its photos and log.
func (s *Server) fullReply(ctx context.Context, x problem.Problem) (problemReply, error) {
	r := s.replyOf(x)
	photos, err := s.store.Photos(ctx, x.ID)
	if err != nil {
		return r, err
	}
	log, err := s.store.ProblemLog(ctx, x.ID)
	if err != nil {
		return r, err
	}
	r.Photos, r.Log = photoRefs(x.ID, photos, s.cfg.Location), logRefs(log, s.cfg.Location)
	return r, nil
}

// scopedProblem returns the problem the :id parameter names if the caller may see
// it; survey.ErrNotFound otherwise, exactly as for one that does not exist.
func (s *Server) scopedProblem(c echo.Context) (problem.Problem, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return problem.Problem{}, survey.ErrNotFound
	}
	x, err := s.store.Problem(c.Request().Context(), id)
	if err != nil {
		return x, err
	}
	if !principalOf(c).seesProblem(x) {
		return problem.Problem{}, survey.ErrNotFound
	}
	return x, nil
}

// seesProblem reports whether the principal may see a problem: admins all,
// officials those located in their jurisdiction or assigned to a unit in it,
// volunteers those they raised.
func (p *principal) seesProblem(x problem.Problem) bool {
	switch p.Role {
	case account.Admin:
		return true
	case account.Official:
		return p.AreaPath != "" && (strings.HasPrefix(x.AreaPath, p.AreaPath) ||
			x.UnitPath != "" && strings.HasPrefix(x.UnitPath, p.AreaPath))
	case account.Volunteer:
		return x.RaisedByID != nil && *x.RaisedByID == p.ID
	}
	return false
}
