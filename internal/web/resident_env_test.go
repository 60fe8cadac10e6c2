package web

import (
	"maps"
	"net/url"
	"regexp"
	"strings"
)

var formTokenInput = regexp.MustCompile(`name="form_token" value="([^"]*)"`)

// formToken opens the form of a survey and area as a browser would, with the Cookie
// header pair given (none for a new device), and returns the page's form token and the
// Cookie header pair of the device it was issued to; "" when the form does not open.
func (e *testEnv) formToken(surveyID, code string, cookie []string) (string, []string) {
	e.t.Helper()
	res, page := e.send("GET", "/s/"+url.PathEscape(surveyID)+"/"+url.PathEscape(code), nil, cookie...)
	m := formTokenInput.FindSubmatch(page)
	if res.StatusCode != 200 || m == nil {
		return "", cookie
	}
	if c := deviceCookieOf(res); c != nil {
		cookie = []string{"Cookie", c.Name + "=" + c.Value}
	}
	return string(m[1]), cookie
}

// resident makes an anonymous JSON submission go as a resident's does: the form page
// first, then the post with its token and device cookie. Bodies that set form_token
// themselves, and requests of a signed-in user, go as they are.
func (e *testEnv) resident(body any, headers []string) (any, []string) {
	e.t.Helper()
	m, ok := body.(map[string]any)
	if !ok {
		return body, headers
	}
	if t, set := m["form_token"]; set && t != nil {
		return body, headers
	}
	var cookie, rest []string
	for i := 0; i+1 < len(headers); i += 2 {
		switch {
		case headers[i] == "Authorization" || strings.Contains(headers[i+1], sessionCookie):
			return body, headers
		case headers[i] == "Cookie":
			cookie = headers[i : i+2]
		default:
			rest = append(rest, headers[i:i+2]...)
		}
	}
	surveyID, _ := m["survey"].(string)
	code, _ := m["area"].(string)
	token, cookie := e.formToken(surveyID, code, cookie)
	if token == "" {
		return body, headers
	}
	out := maps.Clone(m)
	out["form_token"] = token
	return out, append(rest, cookie...)
}

// importHouseholds lists households (keys) for an area, as the admin.
func (e *testEnv) importHouseholds(code string, keys ...string) {
	e.t.Helper()
	file := "area_code,building,unit,room,key\n"
	for _, k := range keys {
		file += code + ",,,," + k + "\n"
	}
	if res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(file), false, e.auth()...); res.StatusCode != 200 {
		e.t.Fatalf("household import: got %d %v, want 200", res.StatusCode, body)
	}
}
