package web

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/internal/config"
	"minyi/internal/stats"
	"minyi/internal/survey"
)

func TestAPIRequiresToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, path := range []string{
		"/api/v1/surveys", "/api/v1/surveys/chuangwen", "/api/v1/areas",
		"/api/v1/indicators?survey=chuangwen&area=" + district,
	} {
		for _, tc := range []struct {
			name    string
			headers []string
			status  int
		}{
			{"no token", nil, 401},
			{"unknown token", []string{"Authorization", "Bearer myt_" + strings.Repeat("A", 43)}, 401},
			{"not bearer", []string{"Authorization", "Token " + e.token}, 401},
			{"empty bearer", []string{"Authorization", "Bearer "}, 401},
			{"token", e.auth(), 200},
		} {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				res, body := e.do("GET", path, nil, tc.headers...)
				if tc.status == 200 {
					if res.StatusCode != 200 {
						t.Errorf("got %d %v, want 200", res.StatusCode, body)
					}
					return
				}
				checkError(t, res, body, tc.status, "unauthorized")
			})
		}
	}
}

func TestListSurveys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	type round struct {
		ID       int64      `json:"id"`
		Survey   string     `json:"survey"`
		Version  int        `json:"version"`
		Name     string     `json:"name"`
		ClosesAt *time.Time `json:"closes_at"`
	}
	type summary struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		Version   int    `json:"version"`
		OpenRound *round `json:"open_round"`
	}
	var got []summary
	if status := e.getJSON("/api/v1/surveys", &got, e.auth()...); status != 200 {
		t.Fatalf("status: got %d, want 200", status)
	}
	want := []summary{{ID: "chuangwen", Title: e.def.Title, Version: 1,
		OpenRound: &round{ID: e.round.ID, Survey: "chuangwen", Version: 1, Name: "测试轮"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}

	if _, err := e.store.CloseRound(context.Background(), "chuangwen", time.Now()); err != nil {
		t.Fatal(err)
	}
	var raw []map[string]any
	e.getJSON("/api/v1/surveys", &raw, e.auth()...)
	if len(raw) != 1 || raw[0]["id"] != "chuangwen" {
		t.Fatalf("after closing: got %v, want chuangwen alone", raw)
	}
	if v, ok := raw[0]["open_round"]; !ok || v != nil {
		t.Errorf("open_round after closing: got %v (present %v), want null", v, ok)
	}
}

func TestGetSurvey(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	var def survey.Definition
	if status := e.getJSON("/api/v1/surveys/chuangwen", &def, e.auth()...); status != 200 {
		t.Fatalf("status: got %d, want 200", status)
	}
	if !reflect.DeepEqual(&def, e.def) {
		t.Errorf("definition differs from surveys/chuangwen.yaml:\ngot  %+v\nwant %+v", def, *e.def)
	}
	// The JSON uses the YAML file's field names.
	var raw struct {
		ID         string           `json:"id"`
		Version    int              `json:"version"`
		Questions  []map[string]any `json:"questions"`
		Indicators []map[string]any `json:"indicators"`
	}
	e.getJSON("/api/v1/surveys/chuangwen", &raw, e.auth()...)
	if raw.ID != "chuangwen" || raw.Version != 1 || len(raw.Questions) != 27 {
		t.Fatalf("got id %q, version %d, %d questions; want chuangwen, 1, 27", raw.ID, raw.Version, len(raw.Questions))
	}
	find := func(list []map[string]any, id string) map[string]any {
		for _, m := range list {
			if m["id"] == id {
				return m
			}
		}
		t.Fatalf("%s missing", id)
		return nil
	}
	for _, tc := range []struct {
		what string
		got  any
		want string // JSON
	}{
		{"q27.show_if", find(raw.Questions, "q27")["show_if"], `{"question":"q26","in":["yes"]}`},
		{"q27.format", find(raw.Questions, "q27")["format"], `"phone"`},
		{"q24.type", find(raw.Questions, "q24")["type"], `"multi"`},
		{"q24.max", find(raw.Questions, "q24")["max"], `3`},
		{"q4.required", find(raw.Questions, "q4")["required"], `true`},
		{"q4.section", find(raw.Questions, "q4")["section"], `"二、知晓"`},
		{"q4.options", find(raw.Questions, "q4")["options"], `[{"id":"know","text":"知道"},{"id":"dont_know","text":"不知道"}]`},
		{"support", find(raw.Indicators, "support"),
			`{"id":"support","name":"支持率","kind":"support","question":"q10","positive":["support"],"excluded":["unsure"],"target":0.95,"headline":true}`},
		{"topic_q6", find(raw.Indicators, "topic_q6"),
			`{"id":"topic_q6","name":"先进典型知晓率","kind":"topic","question":"q6","positive":["know"],"target":0.9,"headline":false}`},
	} {
		var want any
		if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tc.got, want) {
			t.Errorf("%s: got %v, want %s", tc.what, tc.got, tc.want)
		}
	}
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/surveys/chuangwen?version=1", 200, ""},
		{"/api/v1/surveys/chuangwen?version=2", 404, "not_found"},
		{"/api/v1/surveys/chuangwen?version=x", 400, "bad_request"},
		{"/api/v1/surveys/chuangwen?version=0", 400, "bad_request"},
		{"/api/v1/surveys/nope", 404, "not_found"},
	} {
		res, body := e.do("GET", tc.path, nil, e.auth()...)
		if tc.code == "" {
			if res.StatusCode != tc.status || body["id"] != "chuangwen" {
				t.Errorf("%s: got %d, want %d", tc.path, res.StatusCode, tc.status)
			}
			continue
		}
		checkError(t, res, body, tc.status, tc.code)
	}
}

func TestListAreas(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		name, query string
		status      int
		want        string // codes in order, or the first and last and the count
		count       int
	}{
		{"all", "", 200, district + " … 990100003201", 19},
		{"under a street: its children", "?under=" + street1, 200,
			"990100001001 990100001002 990100001003 990100001004 990100001005", 5},
		{"under the district: descendants, by depth then code", "?under=" + district, 200,
			street1 + " … 990100003201", 18},
		{"under a community: nothing", "?under=" + community1, 200, "", 0},
		{"under an unknown area", "?under=000000000000", 404, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var list []map[string]any
			status := e.getJSON("/api/v1/areas"+tc.query, &list, e.auth()...)
			if status != tc.status {
				t.Fatalf("status: got %d, want %d", status, tc.status)
			}
			if status != 200 {
				return
			}
			if list == nil || len(list) != tc.count {
				t.Fatalf("areas: got %d (%v), want %d as a JSON array", len(list), list, tc.count)
			}
			var codes []string
			for _, a := range list {
				codes = append(codes, a["code"].(string))
				var keys []string
				for k := range a {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				if got := strings.Join(keys, ","); got != "code,households,in_scope,kind,name,parent_code" {
					t.Errorf("fields of %s: got %s, want code,households,in_scope,kind,name,parent_code", a["code"], got)
				}
			}
			got := strings.Join(codes, " ")
			if strings.Contains(tc.want, "…") && len(codes) > 0 {
				got = codes[0] + " … " + codes[len(codes)-1]
			}
			if got != tc.want {
				t.Errorf("codes: got %s, want %s", got, tc.want)
			}
			if tc.query == "?under="+district {
				if i := slices.Index(codes, street3Code); i != 2 {
					t.Errorf("streets first: %s at %d, want 2", street3Code, i)
				}
			}
		})
	}
	var list []map[string]any
	e.getJSON("/api/v1/areas", &list, e.auth()...)
	for _, tc := range []struct {
		code string
		want string // JSON
	}{
		{district, `{"code":"990100000000","name":"江滨区","kind":"district","parent_code":"","households":null,"in_scope":true}`},
		{community1, `{"code":"990100001001","name":"望江社区","kind":"community","parent_code":"990100001000","households":2860,"in_scope":true}`},
		{"990100003201", `{"code":"990100003201","name":"桃源村","kind":"village","parent_code":"990100003000","households":640,"in_scope":true}`},
	} {
		var want map[string]any
		json.Unmarshal([]byte(tc.want), &want)
		i := slices.IndexFunc(list, func(a map[string]any) bool { return a["code"] == tc.code })
		if i < 0 || !reflect.DeepEqual(list[i], want) {
			t.Errorf("%s: got %v, want %s", tc.code, list[max(i, 0)], tc.want)
		}
	}
}

const street3Code = "990100003000"

// indicatorsJSON mirrors the JSON of GET /api/v1/indicators.
type indicatorsJSON struct {
	Survey  string `json:"survey"`
	Version int    `json:"version"`
	Round   *struct {
		ID int64 `json:"id"`
	} `json:"round"`
	Area struct {
		Code string `json:"code"`
	} `json:"area"`
	Channel string `json:"channel"`
	Rows    []struct {
		Area struct {
			Code string `json:"code"`
			Name string `json:"name"`
			Kind string `json:"kind"`
		} `json:"area"`
		Respondents int            `json:"respondents"`
		Indicators  []stats.Result `json:"indicators"`
	} `json:"rows"`
}

// fig is positive over valid answers of one indicator.
type fig struct{ pos, valid int }

// rowWant is what one row of indicators should say for the four headline figures.
type rowWant struct {
	code                   string
	n                      int
	aware, supp, sat, part fig
}

// answerAs stores a volunteer or paper response at an area, with the four headline
// questions answered as given.
func answerAs(t *testing.T, e *testEnv, code, channel, q4, q10, q21, q22 string) {
	t.Helper()
	sub := newSubmission(code, answersWith(e.def, map[string]any{"q4": q4, "q10": q10, "q21": q21, "q22": q22}))
	sub["channel"] = channel
	res, body := e.do("POST", "/api/v1/responses", sub, e.auth()...)
	checkCreated(t, res, body)
}

// checkRows compares the rows of a reply with the wanted figures, checking every
// rule of an indicator: rate, Wilson interval, exclusions, small sample and target.
func checkRows(t *testing.T, def *survey.Definition, got indicatorsJSON, want []rowWant, smallSample int) {
	t.Helper()
	if len(got.Rows) != len(want) {
		t.Fatalf("rows: got %d, want %d", len(got.Rows), len(want))
	}
	for i, w := range want {
		row := got.Rows[i]
		if row.Area.Code != w.code || row.Respondents != w.n {
			t.Errorf("row %d: got %s with %d respondents, want %s with %d", i, row.Area.Code, row.Respondents, w.code, w.n)
		}
		if len(row.Indicators) != len(def.Indicators) {
			t.Fatalf("row %s: got %d indicators, want %d", w.code, len(row.Indicators), len(def.Indicators))
		}
		for j, ind := range def.Indicators {
			r := row.Indicators[j]
			if r.ID != ind.ID || r.Name != ind.Name || r.Kind != ind.Kind || r.Headline != ind.Headline {
				t.Errorf("row %s indicator %d: got %s %s, want %s %s", w.code, j, r.ID, r.Name, ind.ID, ind.Name)
			}
			f, ok := map[string]fig{"awareness": w.aware, "support": w.supp, "satisfaction": w.sat, "participation": w.part}[ind.ID]
			if !ok {
				f = fig{r.Positive, r.Valid} // topic figures: the rules below still hold
				if r.Valid != w.n {
					t.Errorf("%s %s: valid got %d, want %d (every response answers it)", w.code, ind.ID, r.Valid, w.n)
				}
			}
			checkResult(t, w.code, ind, r, f, smallSample)
		}
	}
}

func checkResult(t *testing.T, where string, ind survey.Indicator, r stats.Result, f fig, smallSample int) {
	t.Helper()
	what := where + " " + ind.ID
	if r.Positive != f.pos || r.Valid != f.valid {
		t.Errorf("%s: got %d/%d, want %d/%d", what, r.Positive, r.Valid, f.pos, f.valid)
	}
	if r.SmallSample != (f.valid < smallSample) {
		t.Errorf("%s: small_sample got %v, want %v for %d valid", what, r.SmallSample, f.valid < smallSample, f.valid)
	}
	if ind.Target == nil || r.Target == nil || *r.Target != *ind.Target {
		t.Errorf("%s: target got %v, want %v", what, r.Target, ind.Target)
	}
	if f.valid == 0 {
		if r.Rate != nil || r.CILow != nil || r.CIHigh != nil || r.MeetsTarget != nil {
			t.Errorf("%s: with no valid answer got rate %v, ci %v–%v, meets %v; want all null", what, r.Rate, r.CILow, r.CIHigh, r.MeetsTarget)
		}
		return
	}
	if r.Rate == nil || r.CILow == nil || r.CIHigh == nil || r.MeetsTarget == nil {
		t.Errorf("%s: got rate %v, ci %v–%v, meets %v; want all set", what, r.Rate, r.CILow, r.CIHigh, r.MeetsTarget)
		return
	}
	rate := float64(f.pos) / float64(f.valid)
	low, high, _ := stats.Wilson(f.pos, f.valid)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"rate", *r.Rate, rate}, {"ci_low", *r.CILow, low}, {"ci_high", *r.CIHigh, high}} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s: %s got %v, want %v", what, c.name, c.got, c.want)
		}
	}
	if *r.MeetsTarget != (rate >= *ind.Target) {
		t.Errorf("%s: meets_target got %v, want %v (rate %v, target %v)", what, *r.MeetsTarget, rate >= *ind.Target, rate, *ind.Target)
	}
}

// TestIndicators seeds answers in two communities of one street, one of another and
// on a street itself, and reads them back every way the API offers.
func TestIndicators(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	before := time.Now().In(e.cfg.Location).Format(time.DateOnly)
	for _, r := range [][6]string{
		{community1, "volunteer", "know", "support", "very_satisfied", "often"},
		{community1, "volunteer", "know", "unsure", "unknown", "never"},
		{community1, "volunteer", "dont_know", "oppose", "dissatisfied", "sometimes"},
		{community2, "volunteer", "know", "unsure", "unknown", "often"},
		{community3, "paper", "know", "support", "satisfied", "never"},
		{community3, "paper", "know", "unsure", "unknown", "often"},
		{street1, "paper", "dont_know", "support", "basic", "sometimes"}, // on the street itself
	} {
		answerAs(t, e, r[0], r[1], r[2], r[3], r[4], r[5])
	}
	now := time.Now().In(e.cfg.Location)
	today := now.Format(time.DateOnly)
	if today != before {
		t.Skip("the day changed while seeding")
	}
	yesterday, tomorrow := now.AddDate(0, 0, -1).Format(time.DateOnly), now.AddDate(0, 0, 1).Format(time.DateOnly)
	c := func(n int) string { return "99010000100" + strconv.Itoa(n) }
	zero := func(code string) rowWant { return rowWant{code: code} }
	districtAll := []rowWant{{district, 7, fig{5, 7}, fig{3, 4}, fig{3, 4}, fig{5, 7}}}
	for _, tc := range []struct {
		name, query string
		want        []rowWant
	}{
		{"district", "area=" + district, districtAll},
		{"district by streets, an empty one included", "area=" + district + "&by=children", []rowWant{
			{street1, 5, fig{3, 5}, fig{2, 3}, fig{2, 3}, fig{4, 5}},
			{street2, 2, fig{2, 2}, fig{1, 1}, fig{1, 1}, fig{1, 2}},
			zero(street3Code),
		}},
		{"street, with the response on the street itself", "area=" + street1, []rowWant{
			{street1, 5, fig{3, 5}, fig{2, 3}, fig{2, 3}, fig{4, 5}},
		}},
		{"street by communities: the street's own response as its own row (本级)", "area=" + street1 + "&by=children", []rowWant{
			{c(1), 3, fig{2, 3}, fig{1, 2}, fig{1, 2}, fig{2, 3}},
			{c(2), 1, fig{1, 1}, fig{0, 0}, fig{0, 0}, fig{1, 1}},
			zero(c(3)), zero(c(4)), zero(c(5)),
			{street1, 1, fig{0, 1}, fig{1, 1}, fig{1, 1}, fig{1, 1}},
		}},
		{"community", "area=" + community3, []rowWant{
			{community3, 2, fig{2, 2}, fig{1, 1}, fig{1, 1}, fig{1, 2}},
		}},
		{"paper", "area=" + district + "&channel=paper", []rowWant{
			{district, 3, fig{2, 3}, fig{2, 2}, fig{2, 2}, fig{2, 3}},
		}},
		{"volunteer", "area=" + district + "&channel=volunteer", []rowWant{
			{district, 4, fig{3, 4}, fig{1, 2}, fig{1, 2}, fig{3, 4}},
		}},
		{"qr", "area=" + district + "&channel=qr", []rowWant{zero(district)}},
		{"paper by streets", "area=" + district + "&channel=paper&by=children", []rowWant{
			{street1, 1, fig{0, 1}, fig{1, 1}, fig{1, 1}, fig{1, 1}},
			{street2, 2, fig{2, 2}, fig{1, 1}, fig{1, 1}, fig{1, 2}},
			zero(street3Code),
		}},
		{"from and to today", "area=" + district + "&from=" + today + "&to=" + today, districtAll},
		{"from today", "area=" + district + "&from=" + today, districtAll},
		{"to today", "area=" + district + "&to=" + today, districtAll},
		{"from tomorrow", "area=" + district + "&from=" + tomorrow, []rowWant{zero(district)}},
		{"to yesterday", "area=" + district + "&to=" + yesterday, []rowWant{zero(district)}},
		{"this round by id", "area=" + district + "&round=" + strconv.FormatInt(e.round.ID, 10), districtAll},
		{"every round", "area=" + district + "&round=all", districtAll},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got indicatorsJSON
			if status := e.getJSON("/api/v1/indicators?survey=chuangwen&"+tc.query, &got, e.auth()...); status != 200 {
				t.Fatalf("status: got %d, want 200", status)
			}
			q, _ := url.ParseQuery(tc.query)
			if got.Survey != "chuangwen" || got.Version != 1 || got.Area.Code != q.Get("area") || got.Channel != q.Get("channel") {
				t.Errorf("reply: got survey %q v%d area %s channel %q, want chuangwen v1 %s %q",
					got.Survey, got.Version, got.Area.Code, got.Channel, q.Get("area"), q.Get("channel"))
			}
			if strings.Contains(tc.query, "round=all") != (got.Round == nil) || got.Round != nil && got.Round.ID != e.round.ID {
				t.Errorf("round: got %+v, want %d (null for round=all)", got.Round, e.round.ID)
			}
			checkRows(t, e.def, got, tc.want, stats.DefaultSmallSample)
		})
	}

	// Spot checks of the rules, in numbers.
	var got indicatorsJSON
	e.getJSON("/api/v1/indicators?survey=chuangwen&area="+district+"&by=children", &got, e.auth()...)
	street2Awareness := got.Rows[1].Indicators[0]
	if street2Awareness.MeetsTarget == nil || !*street2Awareness.MeetsTarget || *street2Awareness.Rate != 1 {
		t.Errorf("street2 awareness 2/2 against a target of 100%%: got %+v, want rate 1 meeting it", street2Awareness)
	}
	if lo, hi := *street2Awareness.CILow, *street2Awareness.CIHigh; math.Abs(lo-0.3424) > 1e-4 || hi != 1 {
		t.Errorf("Wilson 2/2: got %.4f–%.4f, want 0.3424–1", lo, hi)
	}
}

func TestIndicatorsSmallSample(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.SmallSample = 3 })
	for range 3 {
		answerAs(t, e, community1, "volunteer", "know", "support", "satisfied", "often")
	}
	for range 2 {
		answerAs(t, e, community2, "volunteer", "know", "unsure", "satisfied", "often")
	}
	var got indicatorsJSON
	e.getJSON("/api/v1/indicators?survey=chuangwen&by=children&area="+street1, &got, e.auth()...)
	checkRows(t, e.def, got, []rowWant{
		{community1, 3, fig{3, 3}, fig{3, 3}, fig{3, 3}, fig{3, 3}},
		{community2, 2, fig{2, 2}, fig{0, 0}, fig{2, 2}, fig{2, 2}},
		{code: "990100001003"}, {code: "990100001004"}, {code: "990100001005"},
	}, 3)
	if r := got.Rows[0].Indicators[0]; r.SmallSample {
		t.Errorf("3 valid answers with a threshold of 3: got small_sample true, want false")
	}
}

func TestIndicatorsRounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	answerAs(t, e, community1, "volunteer", "know", "support", "satisfied", "often")
	answerAs(t, e, community1, "volunteer", "dont_know", "support", "satisfied", "often")
	now := time.Now()
	if _, err := e.store.CloseRound(ctx, "chuangwen", now); err != nil {
		t.Fatal(err)
	}
	second, err := e.store.StartRound(ctx, "chuangwen", "第2轮", nil, now)
	if err != nil {
		t.Fatal(err)
	}
	answerAs(t, e, community1, "volunteer", "know", "oppose", "satisfied", "often")
	first := strconv.FormatInt(e.round.ID, 10)
	for _, tc := range []struct {
		name, round string
		wantRound   int64 // 0: null
		want        rowWant
	}{
		{"default: the open round", "", second.ID, rowWant{district, 1, fig{1, 1}, fig{0, 1}, fig{1, 1}, fig{1, 1}}},
		{"the first round", first, e.round.ID, rowWant{district, 2, fig{1, 2}, fig{2, 2}, fig{2, 2}, fig{2, 2}}},
		{"the second round", strconv.FormatInt(second.ID, 10), second.ID, rowWant{district, 1, fig{1, 1}, fig{0, 1}, fig{1, 1}, fig{1, 1}}},
		{"every round", "all", 0, rowWant{district, 3, fig{2, 3}, fig{2, 3}, fig{3, 3}, fig{3, 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got indicatorsJSON
			path := "/api/v1/indicators?survey=chuangwen&area=" + district
			if tc.round != "" {
				path += "&round=" + tc.round
			}
			if status := e.getJSON(path, &got, e.auth()...); status != 200 {
				t.Fatalf("status: got %d, want 200", status)
			}
			if gotRound := int64(0); got.Round != nil {
				gotRound = got.Round.ID
				if gotRound != tc.wantRound {
					t.Errorf("round: got %d, want %d", gotRound, tc.wantRound)
				}
			} else if tc.wantRound != 0 {
				t.Errorf("round: got null, want %d", tc.wantRound)
			}
			checkRows(t, e.def, got, []rowWant{tc.want}, stats.DefaultSmallSample)
		})
	}
	// Once the second round closes too, the latest round is still the default.
	if _, err := e.store.CloseRound(ctx, "chuangwen", time.Now()); err != nil {
		t.Fatal(err)
	}
	var got indicatorsJSON
	e.getJSON("/api/v1/indicators?survey=chuangwen&area="+district, &got, e.auth()...)
	if got.Round == nil || got.Round.ID != second.ID || got.Rows[0].Respondents != 1 {
		t.Errorf("after closing: got round %+v with %d respondents, want round %d with 1", got.Round, got.Rows[0].Respondents, second.ID)
	}
}

func TestIndicatorsBadParameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	base := "/api/v1/indicators?survey=chuangwen&area=" + district
	for _, tc := range []struct {
		name, path string
		status     int
		code       string
		field      string
	}{
		{"no survey", "/api/v1/indicators?area=" + district, 400, "bad_request", "survey"},
		{"no area", "/api/v1/indicators?survey=chuangwen", 400, "bad_request", "area"},
		{"unknown channel", base + "&channel=wechat", 400, "bad_request", "channel"},
		{"bad from", base + "&from=2026-13-01", 400, "bad_request", "from"},
		{"from with a time", base + "&from=2026-11-01T00:00:00Z", 400, "bad_request", "from"},
		{"bad to", base + "&to=yesterday", 400, "bad_request", "to"},
		{"unknown by", base + "&by=parent", 400, "bad_request", "by"},
		{"bad round", base + "&round=latest", 400, "bad_request", "round"},
		{"unknown round", base + "&round=999999", 404, "not_found", ""},
		{"unknown area", "/api/v1/indicators?survey=chuangwen&area=000000000000", 404, "not_found", ""},
		{"unknown survey", "/api/v1/indicators?survey=nope&area=" + district, 404, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do("GET", tc.path, nil, e.auth()...)
			checkError(t, res, body, tc.status, tc.code)
			if tc.field == "" {
				return
			}
			f, _ := body["fields"].(map[string]any)
			if msg, _ := f[tc.field].(string); !hasHan(msg) {
				t.Errorf("fields: got %v, want a Chinese message for %s", body["fields"], tc.field)
			}
		})
	}
}
