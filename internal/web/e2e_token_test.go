package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// crossSitePage is another site's page that makes its visitor's browser post a
// complete answer, with a genuine form token of that visitor, to the resident form.
var crossSitePage = template.Must(template.New("").Parse(`<!doctype html>
<form method="post" action="{{.Action}}">
{{range $k, $v := .Fields}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}</form>
<script>document.forms[0].submit()</script>`))

// TestCrossSiteFormPost: a page of another site cannot make a resident's browser
// answer, even with the resident's own device cookie and a valid token; the same
// resident then answers on the form itself, and only that answer counts.
func TestCrossSiteFormPost(t *testing.T) {
	e := newEnv(t, nil, nil)
	form := e.http.URL + "/s/chuangwen/" + community1
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fields := map[string]string{"client_id": "0194f4a2-7a53-7c1e-9d3b-2f1e0a6b5c4d", "form_token": r.URL.Query().Get("token")}
		for k, v := range fullAnswers(e.def) {
			fields[k] = fmt.Sprint(v)
		}
		crossSitePage.Execute(w, map[string]any{"Action": form, "Fields": fields})
	}))
	t.Cleanup(evil.Close)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(form),
		chromedp.WaitVisible(chromedp.CSS("#survey-form button[type=submit]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	token := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("input[name=form_token]").value`))
	err = chromedp.Do(ctx,
		chromedp.Navigate(evil.URL+"/?token="+url.QueryEscape(token)),
		chromedp.WaitVisible(chromedp.CSS(".notice-page")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(".notice-page p"))); got != "请在本站的问卷页面填写并提交" {
		t.Errorf("cross-site post: got %q, want the cross-site refusal", got)
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 0 {
		t.Fatalf("responses after the cross-site post: got %d, want 0", got)
	}
	refused := len(problems()) // the browser reports the 403 of the refused post
	// The resident answers on the form: the script sends the page's token.
	var clicks []chromedp.Action[chromedp.Void]
	clicks = append(clicks, chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS("#survey-form button[type=submit]")))
	for _, q := range e.def.Questions {
		if q.Required {
			clicks = append(clicks, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%s input[value="%s"]`, q.ID, q.Options[0].ID))))
		}
	}
	clicks = append(clicks, chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".notice-page")))
	if err := chromedp.Do(ctx, clicks...); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(".notice-page h1"))); got != "提交成功" {
		t.Errorf("after the resident's own submit: got %q, want 提交成功", got)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE form_nonce IS NOT NULL AND status = 'counted'`); got != 1 {
		t.Errorf("counted responses with a form token: got %d, want 1", got)
	}
	if n := e.respondents(community1); n != 1 {
		t.Errorf("respondents: got %d, want 1", n)
	}
	if p := problems()[refused:]; len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
