package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"minyi/static"
)

// appVersion is a digest of the volunteers' app: its shell, scripts and styles. It
// names the service worker's cache and versions the app's URLs, so that a new build
// replaces what phones keep, and only then.
var appVersion = sync.OnceValue(func() string {
	h := sha256.New()
	fs.WalkDir(static.FS, "v", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := static.FS.ReadFile(path)
			h.Write([]byte(path + "\x00"))
			h.Write(b)
		}
		return nil
	})
	for _, name := range []string{"answers.js", "form.css"} {
		b, _ := static.FS.ReadFile(name)
		h.Write(b)
	}
	b, _ := templateFS.ReadFile("templates/v_app.html")
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))[:12]
})

type appPage struct{ Version string }

// volunteerApp handles GET /v/: the shell of the app. It holds nothing of the user,
// so that the service worker can keep it and open it offline; the app asks the API
// who is signed in.
func (s *Server) volunteerApp(c echo.Context) error {
	return s.render(c, http.StatusOK, "v_app.html", appPage{Version: appVersion()})
}

// serviceWorker handles GET /v/sw.js. Served from /v/, it controls the app's pages;
// it carries the app's version so that browsers see a new one after each build.
func (s *Server) serviceWorker(c echo.Context) error {
	b, err := static.FS.ReadFile("v/sw.js")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	js := strings.ReplaceAll(string(b), "__VERSION__", appVersion())
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", []byte(js))
}

// manifest handles GET /v/manifest.webmanifest, which makes the app installable.
func (s *Server) manifest(c echo.Context) error {
	b, err := static.FS.ReadFile("v/manifest.webmanifest")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/manifest+json", b)
}
