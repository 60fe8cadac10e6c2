package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"minyi/internal/account"
	"minyi/internal/survey"
	"minyi/internal/surveyfile"
	"minyi/surveys"
)

// dayFrom is the local day offset days from today, as 2006-01-02.
func (e *testEnv) dayFrom(offset int) string {
	return time.Now().In(e.cfg.Location).AddDate(0, 0, offset).Format(time.DateOnly)
}

// assign assigns username to the area for the days from today+from to today+to, as
// the caller given by headers.
func (e *testEnv) assign(username, code string, from, to int, headers ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.do("POST", "/api/v1/assignments", map[string]any{
		"username": username, "area": code, "starts": e.dayFrom(from), "ends": e.dayFrom(to)}, headers...)
}

// volunteer creates a volunteer with a token and, unless code is empty, an
// assignment to code valid today; it returns the token.
func (e *testEnv) volunteer(name, code string) string {
	e.t.Helper()
	token := newToken(e.t, e.store, name, account.Volunteer, "")
	if code != "" {
		if res, body := e.assign(name, code, -1, 1, e.auth()...); res.StatusCode != 201 {
			e.t.Fatalf("assign %s to %s: got %d %v", name, code, res.StatusCode, body)
		}
	}
	return token
}

// doorToDoor is a volunteer's submission for a household, fully answered.
func doorToDoor(def *survey.Definition, code, home string) map[string]any {
	sub := newSubmission(code, fullAnswers(def))
	sub["channel"], sub["household"] = "volunteer", home
	return sub
}

// notHome is a visit without answers.
func notHome(code, home, outcome string) map[string]any {
	return map[string]any{"client_id": uuid.NewString(), "survey": "chuangwen", "area": code, "household": home, "outcome": outcome}
}

// volJSON sends a JSON body with the session's CSRF token.
func (c *staffClient) volJSON(method, path string, body any) (*http.Response, map[string]any) {
	c.e.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.e.http.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF)
	res, text := c.do(req)
	return res, decoded([]byte(text))
}

// cookie is the Cookie header of the client's session.
func (c *staffClient) cookie() string {
	u, _ := url.Parse(c.e.http.URL)
	var parts []string
	for _, ck := range c.http.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// count runs a counting query on the test database.
func (e *testEnv) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(e.t.Context(), sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// paperCSV is a CSV file of paper questionnaires answering every required question
// of def with its first option; each row is area code and household.
func paperCSV(def *survey.Definition, rows ...[2]string) []byte {
	head := []string{"area_code", "household"}
	var cells []string
	for _, q := range def.Questions {
		if q.Required && q.Type == survey.Single {
			head = append(head, q.ID)
			cells = append(cells, q.Options[0].Text)
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(head)
	for _, r := range rows {
		w.Write(append([]string{r[0], r[1]}, cells...))
	}
	w.Flush()
	return b.Bytes()
}

// paperScopeFile is a paper CSV file of one questionnaire for community1 whose last
// cell is the text answer of q25, without a final line break.
func paperScopeFile(def *survey.Definition) string {
	file := strings.TrimSuffix(string(paperCSV(def, [2]string{community1, ""})), "\n")
	head, row, _ := strings.Cut(file, "\n")
	return head + ",q25\n" + row + ",意见"
}

// volunteerScopeCases are the rows of the role and scope matrix for the routes of
// the volunteers' part: the app, assignments, households, paper entry and the ledger.
// The volunteer of the matrix holds no assignment.
func volunteerScopeCases() []scopeCase {
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		panic(err)
	}
	q := "?survey=chuangwen&area=" + community1
	all := func(method, route, path string, anon, others int) scopeCase {
		return scopeCase{method: method, route: route, path: path, anon: anon, admin: others, a: others, b: others, vol: others}
	}
	return []scopeCase{
		all("GET", "/v", "/v", 301, 301),
		all("GET", "/v/", "/v/", 303, 200),
		all("GET", "/v/sw.js", "/v/sw.js", 200, 200),
		all("GET", "/v/manifest.webmanifest", "/v/manifest.webmanifest", 200, 200),
		all("GET", "/api/v1/volunteer/bootstrap", "/api/v1/volunteer/bootstrap", 401, 200),
		all("GET", "/api/v1/volunteer/surveys/:id", "/api/v1/volunteer/surveys/chuangwen", 401, 200),
		// A visit recorded as completed without answers is refused (422), by those who
		// may enter answers for community1 at all.
		{method: "POST", route: "/api/v1/visits", path: "/api/v1/visits",
			body: `{"client_id":"0190c6a4-0b55-7d5e-9b1c-2f1a6c3d4e60","survey":"chuangwen","area":"` + community1 + `","household":"1-1-101","outcome":"completed"}`,
			anon: 401, admin: 422, a: 422, b: 404, vol: 403},
		{method: "POST", route: "/api/v1/assignments", path: "/api/v1/assignments",
			body: `{"username":"vol","area":"` + community1 + `","starts":"2000-01-01","ends":"2000-01-02"}`,
			anon: 401, admin: 201, a: 201, b: 404, vol: 403},
		{method: "GET", route: "/api/v1/assignments", path: "/api/v1/assignments", anon: 401, admin: 200, a: 200, b: 200, vol: 403},
		{method: "DELETE", route: "/api/v1/assignments/:id", path: "/api/v1/assignments/999999", anon: 401, admin: 404, a: 404, b: 404, vol: 403},
		{method: "GET", route: "/assignments", path: "/assignments", anon: 303, admin: 200, a: 200, b: 200, vol: 403},
		// Page forms (sent with the caller's CSRF token): an assignment to community1.
		{method: "POST", route: "/assignments", path: "/assignments",
			body: "username=vol&area=" + community1 + "&starts=2000-01-01&ends=2000-01-02",
			anon: 303, admin: 303, a: 303, b: 404, vol: 403},
		{method: "POST", route: "/assignments/:id/delete", path: "/assignments/999999/delete",
			anon: 303, admin: 404, a: 404, b: 404, vol: 403},
		staffRead("/api/v1/households", "/api/v1/households?area="+community1, 401),
		// A household file naming community1 (the matrix appends its CSRF field to the
		// last cell, the household key): the official of street2 gets the line back as
		// outside the jurisdiction.
		{method: "POST", route: "/api/v1/households/import", path: "/api/v1/households/import",
			body: "area_code,building,unit,room,key\n" + community1 + ",1,1,101,K",
			anon: 401, admin: 200, a: 200, b: 422, vol: 403},
		{method: "GET", route: "/api/v1/households/template.csv", path: "/api/v1/households/template.csv", anon: 401, admin: 200, a: 200, b: 200, vol: 403},
		staffRead("/households", "/households?area="+community1, 303),
		// The page's upload must be a multipart form.
		{method: "POST", route: "/households", path: "/households", anon: 303, admin: 400, a: 400, b: 400, vol: 403},
		all("GET", "/paper", "/paper", 303, 200),
		all("GET", "/api/v1/paper/template.csv", "/api/v1/paper/template.csv?survey=chuangwen", 401, 200),
		// A paper questionnaire for community1 (the CSRF field lands in the text of q25).
		{method: "POST", route: "/api/v1/paper/import", path: "/api/v1/paper/import?survey=chuangwen",
			body: paperScopeFile(def), anon: 401, admin: 200, a: 200, b: 422, vol: 422},
		staffRead("/api/v1/ledger", "/api/v1/ledger"+q, 401),
		staffRead("/api/v1/ledger/coverage", "/api/v1/ledger/coverage"+q, 401),
		staffRead("/api/v1/export/ledger.xlsx", "/api/v1/export/ledger.xlsx"+q, 401),
		staffRead("/ledger", "/ledger"+q, 303),
	}
}
