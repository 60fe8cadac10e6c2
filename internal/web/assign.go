package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// assignmentInput is an assignment as sent: to the API as JSON, or from the page's form.
type assignmentInput struct {
	Username string `json:"username" form:"username"`
	Area     string `json:"area" form:"area"`
	Starts   string `json:"starts" form:"starts"`
	Ends     string `json:"ends" form:"ends"`
}

var errNoSuchUser = newError(404, "not_found", "找不到该用户")

// createAssignment handles POST /api/v1/assignments.
func (s *Server) createAssignment(c echo.Context) error {
	var in assignmentInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	a, err := s.assign(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

// assign checks and stores an assignment: a volunteer, an area within the caller's
// jurisdiction (else not found), and a start and end day, both inclusive.
func (s *Server) assign(c echo.Context, in assignmentInput) (store.Assignment, error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	starts, err := parseDay(strings.TrimSpace(in.Starts), s.cfg.Location)
	if err != nil || starts == nil {
		return store.Assignment{}, invalidField("starts", "开始日期格式应为 2006-01-02")
	}
	ends, err := parseDay(strings.TrimSpace(in.Ends), s.cfg.Location)
	if err != nil || ends == nil {
		return store.Assignment{}, invalidField("ends", "结束日期格式应为 2006-01-02")
	}
	if ends.Before(*starts) {
		return store.Assignment{}, invalidField("ends", "结束日期不能早于开始日期")
	}
	if strings.TrimSpace(in.Area) == "" {
		return store.Assignment{}, invalidField("area", "请指定区域")
	}
	a, err := s.scopedArea(c, strings.TrimSpace(in.Area))
	if err != nil {
		return store.Assignment{}, err
	}
	u, err := s.store.UserByName(ctx, strings.TrimSpace(in.Username))
	if errors.Is(err, survey.ErrNotFound) {
		return store.Assignment{}, errNoSuchUser
	}
	if err != nil {
		return store.Assignment{}, err
	}
	if u.Role != account.Volunteer {
		return store.Assignment{}, invalidField("username", "只能为志愿者账号分派区域")
	}
	if u.Disabled {
		return store.Assignment{}, invalidField("username", "该账号已停用")
	}
	asg, err := s.store.CreateAssignment(ctx, store.NewAssignment{
		UserID: u.ID, AreaID: a.ID, Starts: *starts, Ends: *ends, CreatedBy: &p.ID,
	}, s.today())
	if err != nil {
		return store.Assignment{}, err
	}
	s.audit(c, p, "assignment.create", a.Code, u.Username,
		map[string]any{"id": asg.ID, "starts": asg.Starts, "ends": asg.Ends})
	return asg, nil
}

// listAssignments handles GET /api/v1/assignments[?username=U][&valid=1]: the
// assignments to areas within the caller's jurisdiction, with whether each is valid
// today.
func (s *Server) listAssignments(c echo.Context) error {
	list, err := s.assignments(c, c.QueryParam("username"), c.QueryParam("valid") == "1")
	if err != nil {
		return err
	}
	return c.JSON(200, list)
}

func (s *Server) assignments(c echo.Context, username string, validOnly bool) ([]store.Assignment, error) {
	p := principalOf(c)
	f := store.AssignmentFilter{Username: strings.TrimSpace(username), Day: s.today(), ValidOnly: validOnly}
	if p.Role != account.Admin {
		f.Under = p.AreaPath
	}
	list, err := s.store.Assignments(c.Request().Context(), f)
	if list == nil {
		list = []store.Assignment{}
	}
	return list, err
}

// deleteAssignment handles DELETE /api/v1/assignments/:id.
func (s *Server) deleteAssignment(c echo.Context) error {
	if err := s.unassign(c, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// unassign removes an assignment to an area within the caller's jurisdiction; one
// outside it is not found.
func (s *Server) unassign(c echo.Context, param string) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return survey.ErrNotFound
	}
	asg, err := s.store.Assignment(ctx, id, s.today())
	if err != nil {
		return err
	}
	if p.Role != account.Admin && (p.AreaPath == "" || !strings.HasPrefix(asg.AreaPath, p.AreaPath)) {
		return survey.ErrNotFound
	}
	if err := s.store.DeleteAssignment(ctx, id); err != nil {
		return err
	}
	s.audit(c, p, "assignment.delete", asg.AreaCode, asg.Username,
		map[string]any{"id": asg.ID, "starts": asg.Starts, "ends": asg.Ends})
	return nil
}
