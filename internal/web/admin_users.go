package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// usersPage is the user list with the form that creates one.
type usersPage struct {
	Flash, Error string
	Users        []userRow
	Form         userForm // the create form, kept when it comes back with an error
	Roles        []account.Role
	Areas        []areaChoice
}

// userPage is one user's page: edit, reset the password, disable or enable.
type userPage struct {
	Flash, Error string
	User         userRow
	Form         userForm
	Self         bool // the signed-in admin's own account
	Roles        []account.Role
	Areas        []areaChoice
}

type userRow struct {
	store.User
	Created string
	Link    string
}

type userForm struct {
	Username, DisplayName, Role, Area string
}

// areaChoice is one area of the area select, indented by its depth in the tree.
type areaChoice struct {
	Code, Label string
}

var roles = []account.Role{account.Official, account.Volunteer, account.Admin}

var (
	errPasswordsDiffer = errors.New("两次输入的密码不一致")
	errUserExists      = errors.New("该用户名已被使用")
	errUnknownArea     = errors.New("找不到该区域，请从列表中选择")
	errSelf            = errors.New("不能停用自己的账号，也不能修改自己的角色或区域")
	errNoUser          = newError(http.StatusNotFound, "not_found", "找不到该用户")
)

// adminUsers handles GET /admin/users.
func (s *Server) adminUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, usersPage{Flash: flash(c), Form: userForm{Role: string(account.Official)}})
}

func (s *Server) renderUsers(c echo.Context, status int, page usersPage) error {
	ctx := c.Request().Context()
	users, err := s.store.Users(ctx, "")
	if err != nil {
		return err
	}
	for _, u := range users {
		page.Users = append(page.Users, s.userRow(u))
	}
	if page.Areas, err = s.areaChoices(c); err != nil {
		return err
	}
	page.Roles = roles
	return s.renderStaff(c, status, "admin_users.html", "users", "用户管理", page)
}

func (s *Server) userRow(u store.User) userRow {
	return userRow{User: u, Created: s.localTime(u.CreatedAt), Link: "/admin/users/" + url.PathEscape(u.Username)}
}

// areaChoices lists every area, parents before children, for the area selects.
func (s *Server) areaChoices(c echo.Context) ([]areaChoice, error) {
	areas, err := s.store.Subtree(c.Request().Context(), "")
	if err != nil {
		return nil, err
	}
	out := make([]areaChoice, 0, len(areas))
	for _, n := range areaTree(areas) {
		n.walk(func(n *areaNode) {
			out = append(out, areaChoice{Code: n.Code,
				Label: strings.Repeat("　", n.Depth) + n.Name + "（" + n.KindLabel() + " " + n.Code + "）"})
		})
	}
	return out, nil
}

// adminCreateUser handles POST /admin/users.
func (s *Server) adminCreateUser(c echo.Context) error {
	f := userForm{Username: formValue(c, "username"), DisplayName: formValue(c, "display_name"),
		Role: formValue(c, "role"), Area: formValue(c, "area")}
	role := account.Role(f.Role)
	fail := func(err error) error {
		return s.renderUsers(c, http.StatusUnprocessableEntity, usersPage{Error: err.Error(), Form: f})
	}
	if err := account.CheckNew(f.Username, f.DisplayName, role, f.Area != ""); err != nil {
		return fail(err)
	}
	password, err := newPassword(c)
	if err != nil {
		return fail(err)
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return err
	}
	u, err := s.store.CreateUser(c.Request().Context(), store.NewUser{Username: f.Username,
		DisplayName: f.DisplayName, Role: role, AreaCode: f.Area, PasswordHash: hash})
	switch {
	case errors.Is(err, survey.ErrConflict):
		return fail(errUserExists)
	case errors.Is(err, survey.ErrNotFound):
		return fail(errUnknownArea)
	case err != nil:
		return err
	}
	s.audit(c, principalOf(c), "user.create", u.AreaCode, u.Username,
		map[string]any{"role": u.Role, "area": u.AreaCode, "display_name": u.DisplayName})
	return done(c, "/admin/users", "user.create")
}

// newPassword returns the form's new password once it is strong enough and typed the
// same twice, else what is wrong with it.
func newPassword(c echo.Context) (string, error) {
	password := c.FormValue("password")
	if err := account.CheckPassword(password); err != nil {
		return "", err
	}
	if password != c.FormValue("confirm") {
		return "", errPasswordsDiffer
	}
	return password, nil
}

// adminUser handles GET /admin/users/:username.
func (s *Server) adminUser(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	return s.renderUser(c, http.StatusOK, u, userPage{Flash: flash(c)})
}

func (s *Server) userParam(c echo.Context) (store.User, error) {
	u, err := s.store.UserByName(c.Request().Context(), c.Param("username"))
	if errors.Is(err, survey.ErrNotFound) {
		return u, errNoUser
	}
	return u, err
}

// renderUser shows a user's page; page.Form, when empty, starts from the user as stored.
func (s *Server) renderUser(c echo.Context, status int, u store.User, page userPage) error {
	var err error
	if page.Areas, err = s.areaChoices(c); err != nil {
		return err
	}
	if page.Form == (userForm{}) {
		page.Form = userForm{Username: u.Username, DisplayName: u.DisplayName, Role: string(u.Role), Area: u.AreaCode}
	}
	page.User, page.Roles, page.Self = s.userRow(u), roles, u.ID == principalOf(c).ID
	return s.renderStaff(c, status, "admin_user.html", "users", "用户 "+u.Username, page)
}

// adminUpdateUser handles POST /admin/users/:username: display name, role and area.
// Only what changed is written, so that renaming someone does not end their sessions.
func (s *Server) adminUpdateUser(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	f := userForm{Username: u.Username, DisplayName: formValue(c, "display_name"), Role: formValue(c, "role"), Area: formValue(c, "area")}
	role := account.Role(f.Role)
	fail := func(err error) error {
		return s.renderUser(c, http.StatusUnprocessableEntity, u, userPage{Error: err.Error(), Form: f})
	}
	if err := account.CheckDisplayName(f.DisplayName); err != nil {
		return fail(err)
	}
	if err := account.CheckRole(role, f.Area != ""); err != nil {
		return fail(err)
	}
	if u.ID == principalOf(c).ID && (role != u.Role || f.Area != u.AreaCode) {
		return fail(errSelf)
	}
	var ch store.UserChange
	detail := map[string]any{}
	if f.DisplayName != u.DisplayName {
		ch.DisplayName, detail["display_name"] = &f.DisplayName, f.DisplayName
	}
	if role != u.Role {
		ch.Role, detail["role"] = &role, role
	}
	if f.Area != u.AreaCode {
		ch.AreaCode, detail["area"] = &f.Area, f.Area
	}
	if len(detail) == 0 {
		return done(c, "/admin/users/"+url.PathEscape(u.Username), "nochange")
	}
	u, err = s.store.UpdateUser(c.Request().Context(), u.Username, ch)
	switch {
	case errors.Is(err, survey.ErrNotFound):
		return fail(errUnknownArea)
	case errors.Is(err, account.ErrArea):
		return fail(err)
	case err != nil:
		return err
	}
	s.audit(c, principalOf(c), "user.update", u.AreaCode, u.Username, detail)
	return done(c, "/admin/users/"+url.PathEscape(u.Username), "user.update")
}

// adminUserPassword handles POST /admin/users/:username/password. The user's
// sessions end; an admin resetting their own password signs in again.
func (s *Server) adminUserPassword(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	password, err := newPassword(c)
	if err != nil {
		return s.renderUser(c, http.StatusUnprocessableEntity, u, userPage{Error: err.Error()})
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := s.store.UpdateUser(c.Request().Context(), u.Username, store.UserChange{PasswordHash: &hash}); err != nil {
		return err
	}
	p := principalOf(c)
	s.audit(c, p, "user.passwd", u.AreaCode, u.Username, nil)
	if u.ID == p.ID {
		s.clearSessionCookie(c)
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return done(c, "/admin/users/"+url.PathEscape(u.Username), "user.passwd")
}

// adminDisableUser handles POST /admin/users/:username/disable: the account can no
// longer sign in, and its sessions and tokens stop working.
func (s *Server) adminDisableUser(c echo.Context) error { return s.setDisabled(c, true) }

// adminEnableUser handles POST /admin/users/:username/enable.
func (s *Server) adminEnableUser(c echo.Context) error { return s.setDisabled(c, false) }

func (s *Server) setDisabled(c echo.Context, off bool) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	if off && u.ID == principalOf(c).ID {
		return s.renderUser(c, http.StatusUnprocessableEntity, u, userPage{Error: errSelf.Error()})
	}
	if _, err := s.store.UpdateUser(c.Request().Context(), u.Username, store.UserChange{Disabled: &off}); err != nil {
		return err
	}
	action := "user.enable"
	if off {
		action = "user.disable"
	}
	s.audit(c, principalOf(c), action, u.AreaCode, u.Username, nil)
	return done(c, "/admin/users/"+url.PathEscape(u.Username), action)
}
