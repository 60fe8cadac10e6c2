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

// maxInputLen bounds what Key reads: a door number as typed, with its markers.
const maxInputLen = 4 * MaxKeyLen

// ErrKey is returned for a key that is empty, too long or holds control characters.
var ErrKey = errors.New("门牌号不能为空，最多 64 个字，且不能含有控制字符")

// markers are the words that end a part of a door number (building, unit, room),
// longest first. After a letter or digit each is a separator, like "-".
var markers = []string{"号楼", "单元", "栋", "幢", "座", "室", "号", "#"}

// Key returns the canonical form of a household key as typed or imported, so that
// one household is always written the same way: full-width letters, digits and
// punctuation become ASCII, dashes of every width and "/" become "-", white space is
// dropped, letters are upper case, and the words that end a part of a door number
// (栋, 幢, 号楼, 座, 单元, 室, 号, #) after a letter or digit become "-". Separators
// are kept, one between two parts, so that "1-1-101", "1栋1单元101", "1栋-1单元-101",
// "1幢1单元101室" and "１－１－１０１" are one key, "1-1-101", while "1-11-01" and
// "11-1-01" stay other households.
func Key(s string) (string, error) {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxInputLen {
		return "", ErrKey
	}
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == 0x3000: // ideographic space
			r = ' '
		case isDash(r):
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
		rs = append(rs, r)
	}
	out := make([]rune, 0, len(rs))
	sep := func() {
		if len(out) > 0 && out[len(out)-1] != '-' {
			out = append(out, '-')
		}
	}
	for i := 0; i < len(rs); {
		if rs[i] == '-' || rs[i] == '/' {
			sep()
			i++
			continue
		}
		if i > 0 && isAlnum(rs[i-1]) {
			if n := markerAt(rs[i:]); n > 0 {
				sep()
				i += n
				continue
			}
		}
		out = append(out, rs[i])
		i++
	}
	if len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	if len(out) == 0 || len(out) > MaxKeyLen {
		return "", ErrKey
	}
	return string(out), nil
}

// isDash reports whether r is a hyphen, dash or minus sign of any width.
func isDash(r rune) bool {
	switch r {
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹘', '﹣', '⁃', '－':
		return true
	}
	return false
}

func isAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z'
}

// markerAt returns the length in runes of the marker rs starts with, or 0.
func markerAt(rs []rune) int {
	for _, m := range markers {
		mr := []rune(m)
		if len(rs) >= len(mr) && string(rs[:len(mr)]) == m {
			return len(mr)
		}
	}
	return 0
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
