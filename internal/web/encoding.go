package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// errEncoding refuses text that cannot be stored or shown: a NUL character or bytes
// that are not UTF-8, in a path, a query parameter, a form field or a JSON string.
var errEncoding = newError(http.StatusBadRequest, "invalid_encoding",
	"请求中含有无效字符（空字符或非 UTF-8 编码的文字），请检查后重新提交")

// formCheckMax is the largest form body checkEncoding reads; no form route takes
// more, and a larger one is left to the route's body limit.
const formCheckMax = 64 << 10

// checkEncoding refuses with errEncoding a request whose path, query parameters or
// URL-encoded form fields hold a NUL or invalid UTF-8, before any handler can try to
// store them. JSON bodies are checked where they are decoded (bindBody).
func checkEncoding(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !cleanText(req.URL.Path) || !cleanQuery(req.URL.RawQuery) {
			return errEncoding
		}
		if mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); mt == echo.MIMEApplicationForm &&
			req.Body != nil && req.ContentLength <= formCheckMax {
			ok, err := cleanFormBody(req)
			if err != nil {
				return newError(http.StatusBadRequest, "bad_request", "请求格式有误")
			}
			if !ok {
				return errEncoding
			}
		}
		return next(c)
	}
}

// cleanFormBody reads a URL-encoded body of up to formCheckMax bytes and reports
// whether its fields are clean; the body is put back for the handler. A longer body
// is put back unread, for the route's body limit to refuse.
func cleanFormBody(req *http.Request) (bool, error) {
	head, err := io.ReadAll(io.LimitReader(req.Body, formCheckMax+1))
	if err != nil {
		return false, err
	}
	rest := req.Body
	req.Body = readCloser{io.MultiReader(bytes.NewReader(head), rest), rest}
	if len(head) > formCheckMax {
		return true, nil
	}
	return cleanQuery(string(head)), nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// cleanQuery reports whether every key and value of a URL-encoded query is clean.
// Pairs that do not decode are left for the handler, which ignores or refuses them.
func cleanQuery(raw string) bool {
	if raw == "" {
		return true
	}
	if !strings.Contains(raw, "%") && cleanText(raw) {
		return true // nothing escaped: the raw text is what decodes
	}
	vals, _ := url.ParseQuery(raw)
	for k, vs := range vals {
		if !cleanText(k) {
			return false
		}
		for _, v := range vs {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}

// cleanText reports whether s is UTF-8 without NUL characters.
func cleanText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// cleanJSON reports whether the strings of a JSON text are clean: the text is UTF-8
// and no escape stands for a NUL or for half of a UTF-16 surrogate pair (which
// encoding/json would silently turn into U+FFFD).
func cleanJSON(b []byte) bool {
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	highPending := false // the previous escape was a high surrogate
	for i := bytes.IndexByte(b, '\\'); i >= 0 && i+1 < len(b); {
		// In valid JSON a backslash occurs only in strings, and starts an escape.
		r, size := rune(-1), 2
		if b[i+1] == 'u' {
			if i+6 > len(b) {
				return true // malformed: the decoder refuses it
			}
			r, size = hexRune(b[i+2:i+6]), 6
		}
		switch {
		case r == 0:
			return false
		case r >= 0xDC00 && r <= 0xDFFF:
			if !highPending {
				return false
			}
			highPending = false
		case highPending:
			return false // a high surrogate without its low half
		case r >= 0xD800 && r <= 0xDBFF:
			highPending = true
		}
		next := bytes.IndexByte(b[i+size:], '\\')
		if highPending && next != 0 {
			return false // the low half must follow at once
		}
		if next < 0 {
			break
		}
		i += size + next
	}
	return !highPending
}

// hexRune decodes four hexadecimal digits, or returns -1.
func hexRune(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1
		}
	}
	return r
}
