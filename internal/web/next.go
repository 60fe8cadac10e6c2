package web

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxNext bounds a post-login destination; longer ones are dropped.
const maxNext = 2048

// safeNext returns next when it is a path on this site, to redirect to after signing
// in, and "" otherwise. Browsers forgive much in a Location header: they drop tabs and
// newlines anywhere, read a backslash as a slash and take "//host" as another host, so
// "/\t/evil.example" and "/\\evil.example" lead away. safeNext therefore wants a path
// that starts with exactly one slash, has no control characters, spaces or
// backslashes, is valid UTF-8, and stays so when its percent-escapes are decoded once
// more (a proxy or a second redirect may decode them).
func safeNext(next string) string {
	if len(next) > maxNext || !localPath(next) {
		return ""
	}
	if dec, err := url.PathUnescape(next); err != nil || !localPath(dec) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return next
}

// localPath reports whether p starts with one slash and holds nothing a browser
// strips or reads as a slash.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || !utf8.ValidString(p) {
		return false
	}
	for _, r := range p {
		if r <= ' ' || r == 0x7f || r == '\\' || (r >= 0x80 && r <= 0x9f) || r == utf8.RuneError ||
			r == '\u2028' || r == '\u2029' || r == '\u00a0' || r == '\u3000' || r == '\ufeff' {
			return false
		}
	}
	return true
}
