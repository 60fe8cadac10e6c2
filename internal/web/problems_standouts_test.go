package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/internal/survey"
)

// TestProblemStandouts finds the checklist categories a community names significantly
// more often than its siblings, leaves small samples out, and raises a problem from
// one with its evidence.
func TestProblemStandouts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	e.seedResponses(e.round, time.Now(),
		batch{community1, survey.ChannelQR, 40, map[string]any{"q24": []any{"parking"}}},
		batch{community2, survey.ChannelQR, 40, map[string]any{"q24": []any{"sanitation"}}},
		batch{"990100001003", survey.ChannelQR, 40, map[string]any{"q24": []any{"sanitation", "parking"}}},
		batch{"990100001004", survey.ChannelQR, 10, map[string]any{"q24": []any{"dogs"}}}, // too few to judge
		batch{"990100001005", survey.ChannelQR, 5, nil})                                   // no checklist answer
	var got standoutsReply
	if code := e.getJSON("/api/v1/problems/standouts?survey=chuangwen&area="+street1, &got, e.auth()...); code != 200 {
		t.Fatalf("standouts: got %d", code)
	}
	var seen []string
	for _, s := range got.Standouts {
		seen = append(seen, s.Area.Code+"/"+s.Option)
	}
	// Parking: 80 of 130 answered (61.5%); community1 40/40 stands out. Sanitation: 80
	// of 130; community2 and 990100001003 (40/40 each) stand out. Dogs: 10 of 130,
	// but community 4's ten answers are too few.
	if want := []string{community1 + "/parking", community2 + "/sanitation", "990100001003/sanitation", "990100001003/parking"}; strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("standouts: got %v, want %v", seen, want)
	}
	if len(got.Standouts) == 0 {
		t.Fatal("no standouts")
	}
	first := got.Standouts[0]
	if !strings.Contains(first.Evidence, "望江社区有 100.0% 的受访者（40/40") || !strings.Contains(first.Evidence, "临江街道下级区域合计为 61.5%（80/130）") {
		t.Errorf("evidence: got %q", first.Evidence)
	}
	res, body := e.do("POST", "/api/v1/problems", map[string]any{"area": first.Area.Code, "category": first.Category,
		"description": "停车问题突出，请核查", "source": "checklist", "evidence": first.Evidence}, e.auth()...)
	if res.StatusCode != 201 {
		t.Fatalf("raise from a standout: got %d %v", res.StatusCode, body)
	}
	var p problemReply
	e.getJSON(fmt.Sprintf("/api/v1/problems/%d", int64(body["id"].(float64))), &p, e.auth()...)
	if p.Evidence != first.Evidence || p.Source != "checklist" || p.Category != "车辆乱停放、停车难" {
		t.Errorf("raised: got %+v, want the standout's evidence and category", p)
	}
}
