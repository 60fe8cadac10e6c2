package web

// Request helpers shared by the handler tests: JSON GETs, raw and multipart bodies,
// and the lines of a rejected file.

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// getJSON decodes the JSON reply of a GET into out and returns the status; headers
// are name, value pairs (e.auth() for the admin token).
func (e *testEnv) getJSON(path string, out any, headers ...string) int {
	e.t.Helper()
	res, raw := e.send("GET", path, nil, headers...)
	if res.StatusCode == 200 {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("GET %s: %v in %s", path, err, raw)
		}
	}
	return res.StatusCode
}

// sendBody sends body as is, with Content-Type ctype unless it is empty; chunked hides
// its length from net/http. It returns the response and its body as text.
func sendBody(e *testEnv, method, path, ctype string, body []byte, chunked bool, headers ...string) (*http.Response, string) {
	e.t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // hides the length from net/http
	}
	if ctype != "" {
		headers = append(headers, "Content-Type", ctype)
	}
	res, raw := e.send(method, path, r, headers...)
	return res, string(raw)
}

// rawPost posts body as is, without the JSON encoding of testEnv.do, and decodes the
// JSON reply.
func rawPost(e *testEnv, path, ctype string, body []byte, chunked bool, headers ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	res, text := sendBody(e, "POST", path, ctype, body, chunked, headers...)
	return res, decoded([]byte(text))
}

// multipartForm is a multipart form with fields and one file, as field, and its
// Content-Type.
func multipartForm(t *testing.T, fields url.Values, field, name string, content []byte) (io.Reader, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return &body, w.FormDataContentType()
}

// uploadAPI posts a file to the API as the "file" field of a multipart form, with
// extra fields, and decodes the JSON reply.
func (e *testEnv) uploadAPI(path string, fields url.Values, name string, content []byte, headers ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	body, ctype := multipartForm(e.t, fields, "file", name, content)
	res, raw := e.send("POST", path, body, append(headers, "Content-Type", ctype)...)
	return res, decoded(raw)
}

// postFile posts a multipart form with fields and one file, as a browser's upload
// form does; fields need "_csrf" (see csrfForm).
func (c *staffClient) postFile(path string, fields url.Values, field, name string, content []byte) (*http.Response, string) {
	c.e.t.Helper()
	body, ctype := multipartForm(c.e.t, fields, field, name, content)
	req, _ := http.NewRequest("POST", c.e.http.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	return c.do(req)
}

// wantLines checks the file lines an invalid_file reply lists.
func wantLines(t *testing.T, body map[string]any, want []string) {
	t.Helper()
	lines, _ := body["lines"].([]any)
	got := make([]string, len(lines))
	for i, l := range lines {
		got[i], _ = l.(string)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
