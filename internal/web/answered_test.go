package web

import (
	"strconv"
	"strings"
	"testing"
)

// TestAnsweredPage: a phone that answered the open round, by either way in, opens the
// form on the 已参与 page; a cookie for another round or one that does not verify
// opens the form.
func TestAnsweredPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	hidden, device := openForm(t, e, community1)
	res, _ := postForm(t, e, community1, formValues(hidden, fullAnswers(e.def)), device)
	mark := cookieOf(res, answeredCookie)
	if res.StatusCode != 303 || mark == nil {
		t.Fatalf("POST: got %d with answered cookie %v, want 303 setting one", res.StatusCode, mark)
	}
	// A second phone answers through the JSON API and then meets the device rule again.
	_, device2 := openForm(t, e, community2)
	body := map[string]any{"survey": "chuangwen", "area": community2, "client_id": "0b0e7b5e-8d2b-4f0e-9f55-1f6f3d7a1c01", "answers": fullAnswers(e.def)}
	res, _ = e.do("POST", "/api/v1/responses", body, device2...)
	mark2 := cookieOf(res, answeredCookie)
	if res.StatusCode != 201 || mark2 == nil {
		t.Fatalf("JSON submit: got %d with answered cookie %v, want 201 setting one", res.StatusCode, mark2)
	}
	otherRound := strconv.FormatInt(e.round.ID+1000, 10)
	for _, tc := range []struct {
		name, cookie string
		answered     bool
	}{
		{"answered by plain POST", mark.Name + "=" + mark.Value, true},
		{"answered through the API", mark2.Name + "=" + mark2.Value, true},
		{"another round only", answeredCookie + "=" + otherRound + "." + e.srv.sign("answered", otherRound), false},
		{"forged", answeredCookie + "=" + strconv.FormatInt(e.round.ID, 10) + ".00ff", false},
		{"none", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.cookie != "" {
				headers = []string{"Cookie", tc.cookie}
			}
			res, page := fetchText(e, "GET", "/s/chuangwen/"+community1, nil, headers...)
			gotAnswered := strings.Contains(page, "您已参与") && !strings.Contains(page, `id="survey-form"`)
			if res.StatusCode != 200 || gotAnswered != tc.answered {
				t.Errorf("got %d answered page=%v, want 200 answered page=%v", res.StatusCode, gotAnswered, tc.answered)
			}
			if tc.answered && res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", res.Header.Get("Cache-Control"))
			}
		})
	}
	res, _ = fetchText(e, "GET", "/s/chuangwen/"+community1+"/thanks", nil)
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("thanks page Cache-Control: got %q, want no-store", got)
	}
}

// TestFormErrorLanding: the page a failed plain POST returns opens on its first error
// (autofocus on the first input of the first wrong question) and lists every error
// with a link to its question.
func TestFormErrorLanding(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	hidden, device := openForm(t, e, community1)
	answers := answersWith(e.def, map[string]any{"q12": nil, "q21": nil})
	res, page := postForm(t, e, community1, formValues(hidden, answers), device)
	if res.StatusCode != 422 {
		t.Fatalf("got %d, want 422", res.StatusCode)
	}
	if got := strings.Count(page, " autofocus"); got != 1 {
		t.Errorf("autofocus attributes: got %d, want 1", got)
	}
	focus := strings.Index(page, " autofocus")
	if q12, q21 := strings.Index(page, `id="q-q12"`), strings.Index(page, `id="q-q21"`); focus < q12 || focus > q21 {
		t.Errorf("autofocus at %d: want inside q12 (%d–%d)", focus, q12, q21)
	}
	for _, want := range []string{`<a href="#q-q12">第12题：`, `<a href="#q-q21">第21题：`} {
		if !strings.Contains(page, want) {
			t.Errorf("error summary lacks %q", want)
		}
	}
}

// TestOptionalOnce: a question that is not required says （选填） once, a multiple
// choice says so once, and with its most choices.
func TestOptionalOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	_, page := fetchText(e, "GET", "/s/chuangwen/"+community1, nil)
	for _, q := range []string{"q24", "q25", "q26", "q27"} {
		start := strings.Index(page, `id="q-`+q+`"`)
		legend := page[start : start+strings.Index(page[start:], "</legend>")]
		if got := strings.Count(legend, "选填"); got != 1 {
			t.Errorf("%s legend %q: got 选填 %d times, want once", q, legend, got)
		}
		if q == "q24" && !strings.Contains(legend, "（选填，多选，最多3项）") {
			t.Errorf("q24 legend %q: want （选填，多选，最多3项）", legend)
		}
	}
}
