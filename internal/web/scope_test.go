package web

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"minyi/internal/account"
)

// scopeCase is one request of the role and scope matrix, with the status each caller
// must get. The area in path lies in street1, whose official is "A"; "B" is the
// official of street2.
type scopeCase struct {
	method, route string // route as registered, to check that every route is covered
	path          string // as requested
	body          string // sent as JSON for writes
	anon, admin   int
	a, b, vol     int
}

// staffRead is what a staff read of something under street1 gives each caller.
func staffRead(route, path string, anon int) scopeCase {
	return scopeCase{method: "GET", route: route, path: path, anon: anon, admin: 200, a: 200, b: 404, vol: 403}
}

// adminOnly is a page or form for admins only: others get 403, anonymous callers are
// sent to sign in.
func adminOnly(method, route, path, form string, admin int) scopeCase {
	return scopeCase{method: method, route: route, path: path, body: form, anon: 303, admin: admin, a: 403, b: 403, vol: 403}
}

// scopeCases lists every route of the service. Routes open to anyone are listed with
// the same status for everyone.
func scopeCases() []scopeCase {
	q := "?survey=chuangwen&area=" + community1
	open := func(method, route, path string, status int) scopeCase {
		return scopeCase{method: method, route: route, path: path, anon: status, admin: status, a: status, b: status, vol: status}
	}
	cases := []scopeCase{
		open("GET", "/healthz", "/healthz", 200),
		open("GET", "/readyz", "/readyz", 200),
		open("GET", "/metrics", "/metrics", 404), // this server has no metrics registry
		open("GET", "/static/*", "/static/form.js", 200),
		open("GET", "/s/:survey/:area", "/s/chuangwen/"+community1, 200),
		open("GET", "/s/:survey/:area/thanks", "/s/chuangwen/"+community1+"/thanks", 200),
		// The plain form post: a resident's answers are incomplete here, so 422 for all.
		open("POST", "/s/:survey/:area", "/s/chuangwen/"+community1, 422),
		{method: "GET", route: "/", path: "/", anon: 303, admin: 303, a: 303, b: 303, vol: 303},
		{method: "GET", route: "/login", path: "/login", anon: 200, admin: 303, a: 303, b: 303, vol: 303},
		// Sign-in and sign-out carry their own form tokens: without them, 403.
		open("POST", "/login", "/login", 403),
		{method: "POST", route: "/logout", path: "/logout", anon: 303, admin: 403, a: 403, b: 403, vol: 403},
		staffRead("/qr/:survey/:file", "/qr/chuangwen/"+community1+".svg", 303),
		staffRead("/posters/:survey/:area", "/posters/chuangwen/"+street1, 303),
		{method: "GET", route: "/api/v1/me", path: "/api/v1/me", anon: 401, admin: 200, a: 200, b: 200, vol: 200},
		// Answers for community1: invalid (empty) for everyone allowed to enter them;
		// the volunteer has no assignment there.
		{method: "POST", route: "/api/v1/responses", path: "/api/v1/responses",
			body: `{"survey":"chuangwen","area":"` + community1 + `","client_id":"0190c6a4-0b55-7d5e-9b1c-2f1a6c3d4e5f","channel":"paper","answers":{}}`,
			anon: 401, admin: 422, a: 422, b: 404, vol: 403},
		{method: "GET", route: "/api/v1/surveys", path: "/api/v1/surveys", anon: 401, admin: 200, a: 200, b: 200, vol: 403},
		{method: "GET", route: "/api/v1/surveys/:id", path: "/api/v1/surveys/chuangwen", anon: 401, admin: 200, a: 200, b: 200, vol: 403},
		staffRead("/api/v1/areas", "/api/v1/areas?under="+street1, 401),
		staffRead("/api/v1/indicators", "/api/v1/indicators"+q, 401),
		// The dashboard: its page and its API.
		staffRead("/dashboard", "/dashboard"+q, 303),
		staffRead("/api/v1/dashboard/overview", "/api/v1/dashboard/overview"+q, 401),
		staffRead("/api/v1/dashboard/children", "/api/v1/dashboard/children"+q, 401),
		staffRead("/api/v1/dashboard/ranking", "/api/v1/dashboard/ranking"+q+"&indicator=satisfaction", 401),
		staffRead("/api/v1/dashboard/trends", "/api/v1/dashboard/trends"+q+"&by=day", 401),
		staffRead("/api/v1/dashboard/topics", "/api/v1/dashboard/topics"+q, 401),
		staffRead("/api/v1/dashboard/suggestions", "/api/v1/dashboard/suggestions"+q, 401),
		staffRead("/api/v1/dashboard/coverage", "/api/v1/dashboard/coverage"+q, 401),
		// Administration: admins only. Forms are sent with the caller's CSRF token and
		// values that change nothing (unknown users, invalid input).
		adminOnly("GET", "/admin", "/admin", "", 303),
		adminOnly("GET", "/admin/users", "/admin/users", "", 200),
		adminOnly("GET", "/admin/users/:username", "/admin/users/offa", "", 200),
		adminOnly("GET", "/admin/areas", "/admin/areas", "", 200),
		adminOnly("GET", "/admin/surveys", "/admin/surveys", "", 200),
		adminOnly("GET", "/admin/surveys/:survey/versions/:version", "/admin/surveys/chuangwen/versions/1", "", 200),
		adminOnly("GET", "/admin/audit", "/admin/audit", "", 200),
		adminOnly("POST", "/admin/users", "/admin/users", "username=x", 422),
		adminOnly("POST", "/admin/users/:username", "/admin/users/ghost", "role=admin", 404),
		adminOnly("POST", "/admin/users/:username/password", "/admin/users/ghost/password", "password=x", 404),
		adminOnly("POST", "/admin/users/:username/disable", "/admin/users/ghost/disable", "", 404),
		adminOnly("POST", "/admin/users/:username/enable", "/admin/users/ghost/enable", "", 404),
		adminOnly("POST", "/admin/areas/import", "/admin/areas/import", "", 400), // not multipart
		adminOnly("POST", "/admin/areas/:code/households", "/admin/areas/000000000000/households", "households=5&in_scope=true", 404),
		adminOnly("POST", "/admin/surveys/import", "/admin/surveys/import", "", 400), // not multipart
		adminOnly("POST", "/admin/surveys/:survey/rounds", "/admin/surveys/nope/rounds", "name=x", 404),
		adminOnly("POST", "/admin/surveys/:survey/rounds/close", "/admin/surveys/nope/rounds/close", "", 404),
		// Exports and the bulletin.
		staffRead("/api/v1/export/indicators.xlsx", "/api/v1/export/indicators.xlsx"+q, 401),
		staffRead("/api/v1/export/responses.csv", "/api/v1/export/responses.csv"+q, 401),
		staffRead("/api/v1/export/responses.xlsx", "/api/v1/export/responses.xlsx"+q, 401),
		staffRead("/bulletin", "/bulletin"+q, 303),
		{method: "GET", route: "/api/v1/audit", path: "/api/v1/audit", anon: 401, admin: 200, a: 403, b: 403, vol: 403},
		// Review of held responses: decisions that find nothing pending change nothing.
		staffRead("/review", "/review"+q, 303),
		staffRead("/api/v1/review", "/api/v1/review"+q, 401),
		{method: "POST", route: "/review", path: "/review",
			body: "survey=chuangwen&area=" + community1 + "&do=accept|group|too_fast|" + community1,
			anon: 303, admin: 303, a: 303, b: 404, vol: 403},
		{method: "POST", route: "/api/v1/review", path: "/api/v1/review",
			body: `{"survey":"chuangwen","area":"` + community1 + `","flag":"too_fast","decision":"accept"}`,
			anon: 401, admin: 200, a: 200, b: 404, vol: 403},
		// WeChat's OAuth callback exists only with an official account configured.
		open("GET", "/wx/callback", "/wx/callback?code=x&state=y", 404),
	}
	cases = append(cases, volunteerScopeCases()...)
	cases = append(cases, problemScopeCases()...)
	return cases
}

// TestScopeMatrix sends every route's request as each kind of caller — anonymous,
// admin, the official of street1, the official of street2 and a volunteer — and checks
// each gets exactly its status. A route missing from the matrix fails the test.
func TestScopeMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "offa", account.Official, street1)
	newUser(t, e.store, "offb", account.Official, street2)
	newUser(t, e.store, "vol", account.Volunteer, "")
	callers := []struct {
		name   string
		client *staffClient
		want   func(scopeCase) int
	}{
		{"anonymous", e.anonClient(), func(c scopeCase) int { return c.anon }},
		{"admin", e.signIn("admin"), func(c scopeCase) int { return c.admin }},
		{"official of street1", e.signIn("offa"), func(c scopeCase) int { return c.a }},
		{"official of street2", e.signIn("offb"), func(c scopeCase) int { return c.b }},
		{"volunteer", e.signIn("vol"), func(c scopeCase) int { return c.vol }},
	}
	covered := map[string]bool{}
	for _, tc := range scopeCases() {
		covered[tc.method+" "+tc.route] = true
		for _, who := range callers {
			var req *http.Request
			if tc.method == "GET" {
				req, _ = http.NewRequest("GET", e.http.URL+tc.path, nil)
			} else {
				body, ctype := tc.body, "application/json"
				if !strings.HasPrefix(tc.body, "{") {
					// A form: pages' forms carry the CSRF token as a field, except the
					// sign-in and sign-out forms, which are tested without it.
					ctype = "application/x-www-form-urlencoded"
					if who.client.CSRF != "" && tc.route != "/logout" && tc.route != "/login" {
						body += "&_csrf=" + who.client.CSRF
					}
				}
				req, _ = http.NewRequest(tc.method, e.http.URL+tc.path, strings.NewReader(body))
				req.Header.Set("Content-Type", ctype)
				if who.client.CSRF != "" && strings.HasPrefix(tc.path, "/api/") {
					req.Header.Set("X-CSRF-Token", who.client.CSRF)
				}
			}
			res, body := who.client.do(req)
			if want := who.want(tc); res.StatusCode != want {
				t.Errorf("%s %s as %s: got %d, want %d (%.120s)", tc.method, tc.path, who.name, res.StatusCode, want, body)
			}
			if res.StatusCode == 404 && strings.HasPrefix(tc.path, "/api/") && !strings.Contains(body, `"error":"not_found"`) {
				t.Errorf("%s %s as %s: 404 body %s, want {\"error\":\"not_found\"}", tc.method, tc.path, who.name, body)
			}
		}
	}
	var missing []string
	for _, r := range e.srv.echo.Routes() {
		if strings.HasSuffix(r.Path, "/*") && r.Path != "/static/*" || r.Method == "echo_route_not_found" {
			continue
		}
		if !covered[r.Method+" "+r.Path] {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes without a row in the scope matrix:\n%s", strings.Join(missing, "\n"))
	}
}
