package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/jackc/pgx/v5"
)

// Session is a signed-in browser: its user and the CSRF token its forms carry.
type Session struct {
	User      User
	CSRF      string
	ExpiresAt time.Time
}

func randomSecret() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// CreateSession signs the user in until now+maxAge at the latest and returns the
// cookie value; only its hash is stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, ip string, now time.Time, maxAge time.Duration) (plain string, err error) {
	defer wrap(&err, "Store.CreateSession")
	if plain, err = randomSecret(); err != nil {
		return "", err
	}
	csrf, err := randomSecret()
	if err != nil {
		return "", err
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	_, err = s.pool.Exec(ctx, `/* Store.CreateSession */
		INSERT INTO sessions (hash, user_id, csrf, created_at, last_seen_at, expires_at, ip)
		VALUES ($1, $2, $3, $4, $4, $5, $6)`,
		hashToken(plain), userID, csrf, now, now.Add(maxAge), ip)
	return plain, err
}

// SessionBySecret returns the live session whose cookie is plain and marks it seen
// at now. A session ends at its absolute expiry, or when unseen for longer than
// idle, or when its user is disabled; such a session is survey.ErrNotFound.
func (s *Store) SessionBySecret(ctx context.Context, plain string, now time.Time, idle time.Duration) (_ Session, err error) {
	defer wrap(&err, "Store.SessionBySecret")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.SessionBySecret */
		UPDATE sessions x SET last_seen_at = $2
		FROM users u LEFT JOIN areas a ON a.id = u.area_id
		WHERE x.hash = $1 AND u.id = x.user_id AND u.disabled_at IS NULL
			AND x.expires_at > $2 AND x.last_seen_at > $2 - $3::interval
		RETURNING x.csrf, x.expires_at, `+userColumns,
		hashToken(plain), now, idle.String())
	ses, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (Session, error) {
		var x Session
		err := row.Scan(append([]any{&x.CSRF, &x.ExpiresAt}, userDest(&x.User)...)...)
		return x, err
	})
	return ses, notFound(err)
}

// DeleteSession signs the browser whose cookie is plain out.
func (s *Store) DeleteSession(ctx context.Context, plain string) (err error) {
	defer wrap(&err, "Store.DeleteSession")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	_, err = s.pool.Exec(ctx, `/* Store.DeleteSession */
		DELETE FROM sessions WHERE hash = $1`, hashToken(plain))
	return err
}

// DeleteExpiredSessions removes sessions that ended before now-idle or at their
// absolute expiry, and returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (_ int64, err error) {
	defer wrap(&err, "Store.DeleteExpiredSessions")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `/* Store.DeleteExpiredSessions */
		DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1 - $2::interval`, now, idle.String())
	return tag.RowsAffected(), err
}
