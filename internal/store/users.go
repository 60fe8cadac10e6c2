package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"minyi/internal/account"
	"minyi/internal/survey"
)

// User is an account as stored, with the area its scope starts from.
type User struct {
	ID           int64        `json:"id"`
	Username     string       `json:"username"`
	DisplayName  string       `json:"display_name"`
	Role         account.Role `json:"role"`
	AreaCode     string       `json:"area,omitempty"` // official: root of the jurisdiction
	AreaName     string       `json:"area_name,omitempty"`
	AreaPath     string       `json:"-"` // ids from the root, as /1/5/; "" for no area
	Disabled     bool         `json:"disabled"`
	CreatedAt    time.Time    `json:"created_at"`
	PasswordHash string       `json:"-"`
}

const userColumns = `u.id, u.username, u.display_name, u.role, coalesce(a.code, ''), coalesce(a.name, ''),
	coalesce(a.path, ''), u.disabled_at IS NOT NULL, u.created_at, u.password_hash`

const userFrom = `FROM users u LEFT JOIN areas a ON a.id = u.area_id`

// userDest is where a row's userColumns scan into.
func userDest(u *User) []any {
	return []any{&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.AreaCode, &u.AreaName,
		&u.AreaPath, &u.Disabled, &u.CreatedAt, &u.PasswordHash}
}

func scanUser(row pgx.CollectableRow) (User, error) {
	var u User
	err := row.Scan(userDest(&u)...)
	return u, err
}

// NewUser is what CreateUser needs. AreaCode is required for officials.
type NewUser struct {
	Username     string
	DisplayName  string
	Role         account.Role
	AreaCode     string
	PasswordHash string
}

// CreateUser stores a new account. Returns survey.ErrConflict if the username is
// taken and survey.ErrNotFound if the area does not exist.
func (s *Store) CreateUser(ctx context.Context, u NewUser) (_ User, err error) {
	defer wrap(&err, "Store.CreateUser")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	areaID, err := s.areaIDOrNil(ctx, u.AreaCode)
	if err != nil {
		return User{}, err
	}
	var id int64
	err = s.pool.QueryRow(ctx, `/* Store.CreateUser */
		INSERT INTO users (username, display_name, role, area_id, password_hash)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		u.Username, u.DisplayName, u.Role, areaID, u.PasswordHash).Scan(&id)
	if isUniqueViolation(err) {
		return User{}, survey.ErrConflict
	}
	if err != nil {
		return User{}, err
	}
	return s.userWhere(ctx, "u.id = $1", id)
}

// areaIDOrNil returns the id of the area with the given code, nil for "".
func (s *Store) areaIDOrNil(ctx context.Context, code string) (*int64, error) {
	if code == "" {
		return nil, nil
	}
	var id int64
	err := s.pool.QueryRow(ctx, `/* Store.areaIDOrNil */
		SELECT id FROM areas WHERE code = $1`, code).Scan(&id)
	if err != nil {
		return nil, notFound(err)
	}
	return &id, nil
}

// UserByName returns the account with the given username, or survey.ErrNotFound.
func (s *Store) UserByName(ctx context.Context, username string) (_ User, err error) {
	defer wrap(&err, "Store.UserByName")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	return s.userWhere(ctx, "u.username = $1", username)
}

// UserByID returns the account with the given id, or survey.ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (_ User, err error) {
	defer wrap(&err, "Store.UserByID")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	return s.userWhere(ctx, "u.id = $1", id)
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (User, error) {
	rows, _ := s.pool.Query(ctx, `/* Store.userWhere */
		SELECT `+userColumns+` `+userFrom+` WHERE `+where, arg)
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, notFound(err)
}

// Users lists the accounts, by username. With under set (an area path), only the
// accounts whose area lies in that subtree.
func (s *Store) Users(ctx context.Context, under string) (_ []User, err error) {
	defer wrap(&err, "Store.Users")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Users */
		SELECT `+userColumns+` `+userFrom+`
		WHERE $1 = '' OR a.path LIKE $1 || '%'
		ORDER BY u.username`, under)
	return pgx.CollectRows(rows, scanUser)
}

// UserChange is an edit of an account; nil fields stay as they are.
type UserChange struct {
	PasswordHash *string
	Disabled     *bool
	Role         *account.Role
	AreaCode     *string
	DisplayName  *string
}

// UpdateUser applies a change to the account. Changing the password, role or area,
// or disabling it, ends its sessions. Returns survey.ErrNotFound for an unknown user
// or area.
func (s *Store) UpdateUser(ctx context.Context, username string, ch UserChange) (_ User, err error) {
	defer wrap(&err, "Store.UpdateUser")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return User{}, err
	}
	defer tx.Rollback(ctx)
	var areaID *int64
	setArea := ch.AreaCode != nil
	if setArea {
		if areaID, err = s.areaIDOrNil(ctx, *ch.AreaCode); err != nil {
			return User{}, err
		}
	}
	var id int64
	err = tx.QueryRow(ctx, `/* Store.UpdateUser */
		UPDATE users SET
			password_hash = coalesce($2, password_hash),
			disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at
				WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END,
			role = coalesce($4, role),
			area_id = CASE WHEN $5 THEN $6 ELSE area_id END,
			display_name = coalesce($7, display_name),
			updated_at = now()
		WHERE username = $1 RETURNING id`,
		username, ch.PasswordHash, ch.Disabled, ch.Role, setArea, areaID, ch.DisplayName).Scan(&id)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23514" { // check_violation: official without area
		return User{}, account.ErrArea
	}
	if err != nil {
		return User{}, notFound(err)
	}
	if ch.PasswordHash != nil || ch.Disabled != nil || ch.Role != nil || setArea {
		if _, err := tx.Exec(ctx, `/* Store.UpdateUser sessions */
			DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return User{}, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return User{}, err
	}
	return s.userWhere(ctx, "u.id = $1", id)
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
