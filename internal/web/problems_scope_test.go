package web

// problemScopeCases are the scope matrix's rows for the problem routes. Steps name a
// problem that does not exist: who may reach a real one is TestProblemScope's.
func problemScopeCases() []scopeCase {
	staffStep := func(route, path string) scopeCase {
		return scopeCase{method: "POST", route: route, path: path, body: `{}`, anon: 401, admin: 404, a: 404, b: 404, vol: 403}
	}
	return []scopeCase{
		// A problem raised in community1: the volunteer holds no assignment there.
		{method: "POST", route: "/api/v1/problems", path: "/api/v1/problems",
			body: `{"area":"` + community1 + `","category":"环境卫生","description":"楼道堆物","source":"inspection"}`,
			anon: 401, admin: 201, a: 201, b: 404, vol: 403},
		// Volunteers list the problems they raised.
		{method: "GET", route: "/api/v1/problems", path: "/api/v1/problems?area=" + community1,
			anon: 401, admin: 200, a: 200, b: 404, vol: 200},
		staffRead("/api/v1/problems/stats", "/api/v1/problems/stats?area="+community1, 401),
		staffRead("/api/v1/problems/standouts", "/api/v1/problems/standouts?survey=chuangwen&area="+community1, 401),
		{method: "GET", route: "/api/v1/problems/:id", path: "/api/v1/problems/999999",
			anon: 401, admin: 404, a: 404, b: 404, vol: 404},
		staffStep("/api/v1/problems/:id/assign", "/api/v1/problems/999999/assign"),
		staffStep("/api/v1/problems/:id/rectify", "/api/v1/problems/999999/rectify"),
		staffStep("/api/v1/problems/:id/close", "/api/v1/problems/999999/close"),
		staffStep("/api/v1/problems/:id/reopen", "/api/v1/problems/999999/reopen"),
		staffStep("/api/v1/problems/:id/photos", "/api/v1/problems/999999/photos"),
		{method: "GET", route: "/api/v1/problems/:id/photos/:photo", path: "/api/v1/problems/999999/photos/1",
			anon: 401, admin: 404, a: 404, b: 404, vol: 404},
		staffRead("/api/v1/export/problems.xlsx", "/api/v1/export/problems.xlsx?area="+community1, 401),
		{method: "GET", route: "/problems", path: "/problems", anon: 303, admin: 200, a: 200, b: 200, vol: 403},
		{method: "GET", route: "/problems/:id", path: "/problems/999999", anon: 303, admin: 404, a: 404, b: 404, vol: 403},
		{method: "GET", route: "/p/:survey/:area", path: "/p/chuangwen/" + community1,
			anon: 200, admin: 200, a: 200, b: 200, vol: 200},
	}
}
