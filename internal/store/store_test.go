package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"minyi/internal/area"
	"minyi/internal/csvfile"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/surveyfile"
	"minyi/internal/testenv"
	"minyi/surveys"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func newStore(t testing.TB) *store.Store {
	t.Helper()
	return store.New(testenv.DB(t), 10*time.Second, shanghai)
}

const tree = `code,name,kind,parent_code,households,in_scope
d1,江滨区,district,,,true
s1,临江街道,street,d1,,true
s2,东湖街道,street,d1,,true
c1,望江社区,community,s1,1200,true
c2,滨河社区,community,s1,800,true
c3,东湖社区,community,s2,,true
v1,桃源村,village,s2,300,false
`

func importCSV(t testing.TB, st *store.Store, csv string) (int, int, error) {
	t.Helper()
	rows, err := area.ParseCSV("areas.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	return st.ImportAreas(context.Background(), "areas.csv", rows)
}

// seed loads the test tree and the default survey and opens a round at opened.
func seed(t testing.TB, st *store.Store, opened time.Time) (store.Round, *survey.Definition) {
	t.Helper()
	if _, _, err := importCSV(t, st, tree); err != nil {
		t.Fatalf("import areas: %v", err)
	}
	return testenv.OpenRound(t, st, opened)
}

func TestImportAreas(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	created, updated, err := importCSV(t, st, tree)
	if err != nil || created != 7 || updated != 0 {
		t.Fatalf("first import: got %d created, %d updated, %v; want 7, 0, nil", created, updated, err)
	}
	// Move c2 under s2 and rename it: an upsert, and the subtree follows.
	created, updated, err = importCSV(t, st, "code,name,kind,parent_code,households,in_scope\nc2,滨河新社区,community,s2,900,true\n")
	if err != nil || created != 0 || updated != 1 {
		t.Fatalf("second import: got %d created, %d updated, %v; want 0, 1, nil", created, updated, err)
	}
	sub, err := st.Subtree(ctx, "s2")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range sub {
		codes = append(codes, a.Code)
	}
	if got, want := strings.Join(codes, ","), "s2,c2,c3,v1"; got != want {
		t.Errorf("subtree of s2: got %s, want %s", got, want)
	}
	c2, _ := st.Area(ctx, "c2")
	if c2.Name != "滨河新社区" || c2.ParentCode != "s2" || *c2.Households != 900 {
		t.Errorf("c2 after update: got %+v", c2)
	}
}

func TestImportAreasRejectsWholeFile(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		want      string
	}{
		{"unknown parent", "code,name,kind,parent_code,households,in_scope\nx1,新社区,community,s1,,true\nx2,坏社区,community,nope,,true\n",
			"areas.csv:3: 上级代码 nope 不存在"},
		{"cycle", "code,name,kind,parent_code,households,in_scope\ns1,临江街道,street,c1,,true\n",
			"areas.csv:2: s1 的上级关系形成循环"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			if _, _, err := importCSV(t, st, tree); err != nil {
				t.Fatal(err)
			}
			_, _, err := importCSV(t, st, tc.csv)
			var ie *csvfile.ImportError
			if !errors.As(err, &ie) || ie.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
			if _, err := st.Area(context.Background(), "x1"); !errors.Is(err, survey.ErrNotFound) {
				t.Errorf("x1 after a rejected import: got %v, want not found", err)
			}
			s1, _ := st.Area(context.Background(), "s1")
			if s1.ParentCode != "d1" {
				t.Errorf("s1 parent after a rejected import: got %q, want d1", s1.ParentCode)
			}
		})
	}
}

func TestImportSurveyVersions(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		version int
		created bool
	}{{1, true}, {1, false}} {
		v, created, err := st.ImportSurvey(ctx, def, nil)
		if err != nil || v != want.version || created != want.created {
			t.Errorf("import %d: got v%d created=%v err=%v, want v%d created=%v", i, v, created, err, want.version, want.created)
		}
	}
	changed := *def
	changed.Title = "修改后的问卷"
	if v, created, err := st.ImportSurvey(ctx, &changed, nil); err != nil || v != 2 || !created {
		t.Errorf("import changed: got v%d created=%v err=%v, want v2 created", v, created, err)
	}
	got, err := st.Definition(ctx, def.ID, 1)
	if err != nil || got.Title != def.Title || got.Version != 1 {
		t.Errorf("version 1 after a new version: got %q v%d (%v), want %q v1", got.Title, got.Version, err, def.Title)
	}
}

func TestRounds(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	r, def := seed(t, st, time.Now().Add(-time.Minute))
	now := time.Now()
	if _, err := st.StartRound(ctx, def.ID, "第2轮", nil, now); !errors.Is(err, survey.ErrConflict) {
		t.Errorf("second open round: got %v, want ErrConflict", err)
	}
	if _, err := st.StartRound(ctx, "nope", "x", nil, now); !errors.Is(err, survey.ErrNotFound) {
		t.Errorf("round of unknown survey: got %v, want ErrNotFound", err)
	}
	open, err := st.OpenRound(ctx, def.ID, now)
	if err != nil || open.ID != r.ID {
		t.Fatalf("open round: got %v %v, want %d", open.ID, err, r.ID)
	}
	if _, err := st.CloseRound(ctx, def.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenRound(ctx, def.ID, now.Add(time.Second)); !errors.Is(err, survey.ErrNoOpenRound) {
		t.Errorf("after close: got %v, want ErrNoOpenRound", err)
	}
	latest, err := st.CurrentOrLatestRound(ctx, def.ID, now.Add(time.Second))
	if err != nil || latest.ID != r.ID {
		t.Errorf("latest round: got %d %v, want %d", latest.ID, err, r.ID)
	}
	r2, err := st.StartRound(ctx, def.ID, "第2轮", nil, now.Add(2*time.Second))
	if err != nil || r2.ID == r.ID {
		t.Errorf("new round after close: got %v %v", r2, err)
	}
}
