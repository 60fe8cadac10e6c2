package web

import (
	"strings"
	"testing"
)

// TestSecurityHeaders checks the headers of every kind of reply, errors included,
// and that /static/ lists no folder.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		path    string
		headers []string
		status  int
	}{
		{"/s/chuangwen/" + community1, nil, 200},
		{"/login", nil, 200},
		{"/posters/chuangwen/" + street1, e.auth(), 200},
		{"/qr/chuangwen/" + community1 + ".png", e.auth(), 200},
		{"/qr/chuangwen/" + community1 + ".svg", e.auth(), 200},
		{"/api/v1/surveys", e.auth(), 200},
		{"/static/form.css", nil, 200},
		{"/static/vendor/echarts.min.js", nil, 200},
		{"/v/sw.js", nil, 200},
		{"/static/", nil, 404},
		{"/static/v/", nil, 404},
		{"/static/v", nil, 404},
		{"/static/vendor/", nil, 404},
		{"/static/nope.js", nil, 404},
		{"/static/../go.mod", nil, 404},
		{"/nope", nil, 404},
		{"/metrics", nil, 404},
		{"/s/chuangwen/%00", nil, 400},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res, body := e.send("GET", tc.path, nil, tc.headers...)
			if res.StatusCode != tc.status {
				t.Errorf("got %d, want %d", res.StatusCode, tc.status)
			}
			if tc.status == 404 && strings.Contains(string(body), "<a href=") && strings.Contains(string(body), ".js") {
				t.Errorf("got a listing of files:\n%.300s", body)
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
				t.Errorf("Content-Security-Policy %q allows inline or evaluated scripts", csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := res.Header.Get(name); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
}

// TestTemplatesHaveNoInlineCode checks every template for what the policy forbids:
// inline handlers, style elements and attributes, and inline scripts other than
// the volunteers' app's import map, whose hash the policy names.
func TestTemplatesHaveNoInlineCode(t *testing.T) {
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		b, err := templateFS.ReadFile("templates/" + entry.Name())
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, bad := range []string{" onclick=", " onload=", " onchange=", " onsubmit=", " onerror=", " style=", "<style", "javascript:"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s: has %q", entry.Name(), bad)
			}
		}
		for _, m := range inlineScript.FindAllStringSubmatch(html, -1) {
			if !strings.Contains(m[1], "src=") && !(entry.Name() == "v_app.html" && strings.Contains(m[1], `type="importmap"`)) {
				t.Errorf("%s: an inline script %.80q", entry.Name(), m[0])
			}
		}
	}
	s := newEnv(t, nil, nil).srv
	shell, err := s.renderBytes("v_app.html", appPage{Version: appVersion()})
	if err != nil {
		t.Fatal(err)
	}
	hashes := inlineScriptHashes(shell)
	if len(hashes) != 1 || !strings.Contains(s.csp, "'"+hashes[0]+"'") {
		t.Errorf("the import map's hashes %v: want one, named in %q", hashes, s.csp)
	}
}
