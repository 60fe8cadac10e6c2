package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Token is an API token as stored, never the secret itself, with the user whose role
// and scope it carries.
type Token struct {
	ID   int64
	Name string
	User User
}

// tokenPrefix marks minyi tokens so that a leaked one is easy to recognise.
const tokenPrefix = "myt_"

func hashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new API token for the user and returns it in the clear; only
// its hash is kept.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (plain string, err error) {
	defer wrap(&err, "Store.CreateToken")
	secret, err := randomSecret()
	if err != nil {
		return "", err
	}
	plain = tokenPrefix + secret
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	_, err = s.pool.Exec(ctx, `/* Store.CreateToken */
		INSERT INTO api_tokens (name, hash, user_id) VALUES ($1, $2, $3)`, name, hashToken(plain), userID)
	return plain, err
}

// TokenBySecret returns the live token whose secret is plain, or survey.ErrNotFound.
// A token of a disabled user is not live.
func (s *Store) TokenBySecret(ctx context.Context, plain string) (_ Token, err error) {
	defer wrap(&err, "Store.TokenBySecret")
	if !strings.HasPrefix(plain, tokenPrefix) {
		return Token{}, notFound(errNoRows)
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.TokenBySecret */
		SELECT t.id, t.name, `+userColumns+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN areas a ON a.id = u.area_id
		WHERE t.hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, hashToken(plain))
	t, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (Token, error) {
		var t Token
		err := row.Scan(append([]any{&t.ID, &t.Name}, userDest(&t.User)...)...)
		return t, err
	})
	return t, notFound(err)
}
