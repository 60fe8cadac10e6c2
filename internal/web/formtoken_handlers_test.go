package web

import (
	"strings"
	"testing"
)

// TestFormTokenHandlers: an anonymous submission, JSON or plain form, needs the token
// of a form page opened on the same device for the same area, unused, and must come
// from the service's own pages; otherwise 403 and nothing is stored.
func TestFormTokenHandlers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	token, device := e.formToken("chuangwen", community1, nil)
	otherArea, _ := e.formToken("chuangwen", community2, device)
	otherDevice, _ := e.formToken("chuangwen", community1, nil)
	sub := func(token string) map[string]any {
		s := newSubmission(community1, fullAnswers(e.def))
		s["form_token"] = token
		return s
	}
	for _, tc := range []struct {
		name    string
		body    map[string]any
		headers []string
		code    string
	}{
		{"no token", sub(""), device, "form_token"},
		{"token of another area", sub(otherArea), device, "form_token"},
		{"token of another device", sub(otherDevice), device, "form_token"},
		{"token without its device cookie", sub(token), nil, "form_token"},
		{"posted from another site", sub(token), append([]string{"Origin", "https://evil.example"}, device...), "cross_site"},
		{"referred by another site", sub(token), append([]string{"Referer", "https://evil.example/page"}, device...), "cross_site"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do("POST", "/api/v1/responses", tc.body, tc.headers...)
			checkError(t, res, body, 403, tc.code)
		})
	}
	// The plain form says the same on a page.
	hidden, cookie := openForm(t, e, community3)
	hidden.Set("form_token", "")
	res, page := postForm(t, e, community3, formValues(hidden, fullAnswers(e.def)), cookie)
	if res.StatusCode != 403 || !strings.Contains(page, "页面已过期，请刷新页面后重新填写") {
		t.Errorf("plain form without a token: got %d, want 403 asking to reload", res.StatusCode)
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 0 {
		t.Fatalf("responses after refusals: got %d, want 0", got)
	}
	// From the service's own page, with its token: stored; the token once only.
	own := append([]string{"Origin", e.http.URL, "Referer", e.http.URL + "/s/chuangwen/" + community1}, device...)
	res, body := e.do("POST", "/api/v1/responses", sub(token), own...)
	checkCreated(t, res, body)
	res, body = e.do("POST", "/api/v1/responses", sub(token), own...)
	checkError(t, res, body, 403, "form_token")
	if got := e.respondents(district); got != 1 {
		t.Errorf("respondents: got %d, want 1", got)
	}
}
