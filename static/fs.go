// Package static embeds the files served under /static/: scripts, styles, the
// volunteers' app (v/, whose service worker and manifest are served under /v/) and the
// vendored libraries (scripts/vendor.sh).
package static

import (
	"embed"
	"net/http"
)

// FS holds the static files.
//
//go:embed *.js *.css vendor v
var FS embed.FS

// Handler serves FS under /static/ with long-lived caching: files are referenced
// with a version query, so a new build changes their URLs.
func Handler() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(FS))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
