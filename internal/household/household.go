// Package household names the households that door-to-door surveyors visit: the key
// that identifies a household within its area, and the CSV files that list them. It
// knows nothing of HTTP or SQL.
package household

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxKeyLen is the most characters a household key may have.
const MaxKeyLen = 64

// ErrKey is returned for a key that is empty, too long or holds control characters.
var ErrKey = errors.New("门牌号不能为空，最多 64 个字，且不能含有控制字符")

// Key returns the canonical form of a household key as typed or imported, so that
// one household is always written the same way: full-width letters, digits and
// punctuation become ASCII, dashes of every width become "-", white space is dropped
// and letters are upper case. "３栋 2单元－501" and "3栋2单元-501" are one key.
func Key(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrKey
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == '‐' || r == '‑' || r == '‒' || r == '–' || r == '—' || r == '―' || r == '−':
			r = '-'
		}
		switch {
		case unicode.IsSpace(r):
			continue
		case unicode.IsControl(r):
			return "", ErrKey
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	k := b.String()
	if k == "" || utf8.RuneCountInString(k) > MaxKeyLen {
		return "", ErrKey
	}
	return k, nil
}

// Compose makes the key of a household from its building, unit and room, joining
// the parts given with "-": Compose("3", "2", "501") is "3-2-501".
func Compose(building, unit, room string) string {
	var parts []string
	for _, p := range []string{building, unit, room} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "-")
}

// Household is one entry of an area's household list.
type Household struct {
	Key      string `json:"key"`
	Building string `json:"building,omitempty"`
	Unit     string `json:"unit,omitempty"`
	Room     string `json:"room,omitempty"`
}

// Outcome is what came of a visit to a household.
type Outcome string

// The visit outcomes.
const (
	Completed Outcome = "completed" // the questionnaire was answered
	Refused   Outcome = "refused"   // 拒访
	NotHome   Outcome = "not_home"  // 不在家
	Revisit   Outcome = "revisit"   // 需回访: come back later
)

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool {
	return o == Completed || o == Refused || o == NotHome || o == Revisit
}

// Label is the Chinese name of the outcome.
func (o Outcome) Label() string {
	switch o {
	case Completed:
		return "已完成"
	case Refused:
		return "拒访"
	case NotHome:
		return "不在家"
	case Revisit:
		return "需回访"
	}
	return string(o)
}
