package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/static"
)

// contentSecurityPolicy is the policy of every reply. Scripts and styles come from
// this site only, as files; the one inline script, the import map of the volunteers'
// app, is allowed by its hash (scriptHashes). Inline style attributes are allowed
// because ECharts writes its tooltips as HTML with style attributes; inline <style>
// elements are not. No page may be framed, posters and QR codes included.
func contentSecurityPolicy(scriptHashes []string) string {
	script := "script-src 'self'"
	for _, h := range scriptHashes {
		script += " '" + h + "'"
	}
	return strings.Join([]string{
		"default-src 'self'",
		script,
		"style-src 'self'",
		"style-src-attr 'unsafe-inline'",
		"img-src 'self' data:",
		"connect-src 'self'",
		"font-src 'self'",
		"manifest-src 'self'",
		"worker-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// inlineScript finds inline scripts: a <script> element without src, and its text.
var inlineScript = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)

// inlineScriptHashes returns the CSP hash source ("sha256-…") of each inline script
// of an HTML page.
func inlineScriptHashes(html []byte) []string {
	var out []string
	for _, m := range inlineScript.FindAllSubmatch(html, -1) {
		if bytes.Contains(m[1], []byte("src=")) {
			continue
		}
		sum := sha256.Sum256(m[2])
		out = append(out, "sha256-"+base64.StdEncoding.EncodeToString(sum[:]))
	}
	return out
}

// securityHeaders sets the headers every reply carries: the Content-Security-Policy,
// no framing, no content sniffing, and no referrer sent to other sites (form URLs
// name areas).
func securityHeaders(csp string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Frame-Options", "DENY")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			return next(c)
		}
	}
}

// staticFiles handles GET /static/*: the embedded files, never a listing of a
// folder (404).
func staticFiles() echo.HandlerFunc {
	files := echo.WrapHandler(static.Handler())
	return func(c echo.Context) error {
		name := strings.TrimPrefix(c.Request().URL.Path, "/static/")
		if st, err := fs.Stat(static.FS, name); err != nil || st.IsDir() {
			return echo.ErrNotFound
		}
		return files(c)
	}
}
