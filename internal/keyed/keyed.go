// Package keyed makes keyed hashes under the server's secret, one purpose at a time,
// so that what is signed or hashed for one use is worthless for another.
package keyed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Key is the server's secret.
type Key struct{ secret []byte }

// New returns the key for secret (MINYI_SECRET).
func New(secret []byte) Key { return Key{secret: secret} }

// Sum is the keyed hash of value for purpose: HMAC-SHA-256 of purpose, a zero byte
// and value, its first 16 bytes in hex.
func (k Key) Sum(purpose, value string) string {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte(purpose + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Verify reports whether sum is Sum(purpose, value), in constant time.
func (k Key) Verify(purpose, value, sum string) bool {
	return hmac.Equal([]byte(sum), []byte(k.Sum(purpose, value)))
}
