// Package account defines who may sign in to minyi: users, their roles and the
// passwords that prove them. It knows nothing of HTTP or SQL.
package account

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Role says what a user may do.
type Role string

// The roles.
const (
	// Admin may do everything, everywhere.
	Admin Role = "admin"
	// Official reads figures, exports and prints bulletins for one area's subtree.
	Official Role = "official"
	// Volunteer enters door-to-door and paper answers for assigned areas.
	Volunteer Role = "volunteer"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == Admin || r == Official || r == Volunteer }

// Label is the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "管理员"
	case Official:
		return "工作人员"
	case Volunteer:
		return "志愿者"
	}
	return string(r)
}

// Errors of account input, each with a message fit for users.
var (
	ErrUsername = errors.New("用户名应为 3–32 位字母、数字、下划线、点或连字符")
	ErrPassword = errors.New("密码至少 8 位，最多 72 字节")
	ErrRole     = errors.New("角色应为 admin、official 或 volunteer")
	ErrArea     = errors.New("工作人员账号必须指定所辖区域")
	ErrName     = errors.New("姓名最多 32 个字，且不能含有控制字符")
)

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,32}$`)

// CheckUsername returns ErrUsername unless name is a valid username.
func CheckUsername(name string) error {
	if !usernameRE.MatchString(name) {
		return ErrUsername
	}
	return nil
}

// CheckPassword returns ErrPassword unless pw is acceptable as a new password.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < 8 || len(pw) > 72 {
		return ErrPassword
	}
	return nil
}

// CheckDisplayName returns ErrName unless name is an acceptable display name; it may
// be empty.
func CheckDisplayName(name string) error {
	if utf8.RuneCountInString(name) > 32 || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return ErrName
	}
	return nil
}

// CheckNew returns the first reason why an account with these details cannot be
// created (the password is checked apart, by CheckPassword), or nil.
func CheckNew(username, displayName string, role Role, hasArea bool) error {
	if err := CheckUsername(username); err != nil {
		return err
	}
	if err := CheckDisplayName(displayName); err != nil {
		return err
	}
	return CheckRole(role, hasArea)
}

// CheckRole returns an error unless role exists and, for officials, has an area.
func CheckRole(role Role, hasArea bool) error {
	if !role.Valid() {
		return ErrRole
	}
	if role == Official && !hasArea {
		return ErrArea
	}
	return nil
}

// cost of bcrypt: about 50 ms on the dev machine, slow enough against guessing.
const cost = 11

// HashPassword returns the bcrypt hash of pw; call CheckPassword first.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	return string(h), err
}

// SamePassword reports whether pw matches hash.
func SamePassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// DummyHash is a bcrypt hash, of the same cost as real ones, that no password
// matches in practice. Sign-in compares against it when there is no such account, so
// that a missing account takes as long to refuse as a wrong password.
const DummyHash = "$2a$11$C.Inpu5XhQiGkuzEkYons.ejpI5eZm2qKKCmKnmrNQsnj7bWimOJu"
