package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Token is an API token as stored: never the secret itself.
type Token struct {
	ID   int64
	Name string
}

// tokenPrefix marks minyi tokens so that a leaked one is easy to recognise.
const tokenPrefix = "myt_"

func hashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new API token and returns it in the clear; only its hash is kept.
func (s *Store) CreateToken(ctx context.Context, name string) (plain string, err error) {
	defer wrap(&err, "Store.CreateToken")
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	plain = tokenPrefix + base64.RawURLEncoding.EncodeToString(buf)
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	_, err = s.pool.Exec(ctx, `/* Store.CreateToken */
		INSERT INTO api_tokens (name, hash) VALUES ($1, $2)`, name, hashToken(plain))
	return plain, err
}

// TokenBySecret returns the live token whose secret is plain, or survey.ErrNotFound.
func (s *Store) TokenBySecret(ctx context.Context, plain string) (_ Token, err error) {
	defer wrap(&err, "Store.TokenBySecret")
	if !strings.HasPrefix(plain, tokenPrefix) {
		return Token{}, notFound(errNoRows)
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var t Token
	err = s.pool.QueryRow(ctx, `/* Store.TokenBySecret */
		SELECT id, name FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`, hashToken(plain)).Scan(&t.ID, &t.Name)
	return t, notFound(err)
}
