package web

import "testing"

// Requests whose view cannot be answered are refused, never answered with empty
// figures: a range ending before it starts, an unknown weight or respondent.
func TestFigureViewRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		path, code string
	}{
		{"/api/v1/indicators?survey=chuangwen&area=" + street1 + "&from=2026-11-10&to=2026-11-01", "bad_request"},
		{"/api/v1/dashboard/trends?survey=chuangwen&area=" + street1 + "&from=2026-11-10&to=2026-11-01", "bad_request"},
		{"/api/v1/export/indicators.xlsx?survey=chuangwen&area=" + street1 + "&from=2026-11-10&to=2026-11-01", "bad_request"},
		{"/api/v1/indicators?survey=chuangwen&area=" + street1 + "&weight=people", "bad_request"},
		{"/api/v1/dashboard/overview?survey=chuangwen&area=" + street1 + "&weight=people", "bad_request"},
		{"/api/v1/indicators?survey=chuangwen&area=" + street1 + "&respondent=visitors", "bad_request"},
	} {
		res, body := e.do("GET", tc.path, nil, e.auth()...)
		checkError(t, res, body, 400, tc.code)
	}
	for _, path := range []string{
		"/api/v1/indicators?survey=chuangwen&area=" + street1 + "&from=2026-11-01&to=2026-11-01",
		"/api/v1/dashboard/overview?survey=chuangwen&area=" + street1 + "&weight=households",
		"/api/v1/dashboard/trends?survey=chuangwen&area=" + street1 + "&respondent=resident",
	} {
		if res, body := e.do("GET", path, nil, e.auth()...); res.StatusCode != 200 {
			t.Errorf("GET %s: got %d %s, want 200", path, res.StatusCode, body)
		}
	}
}
