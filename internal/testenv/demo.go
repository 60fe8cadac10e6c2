package testenv

import (
	"bytes"
	"context"
	"testing"
	"time"

	"minyi/internal/area"
	"minyi/internal/demo"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/surveyfile"
	"minyi/surveys"
)

// DemoAreas imports the demo district, its streets and communities into st.
func DemoAreas(t testing.TB, st *store.Store) {
	t.Helper()
	rows, err := area.ParseCSV(demo.AreasFile, bytes.NewReader(demo.AreasCSV))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ImportAreas(context.Background(), demo.AreasFile, rows); err != nil {
		t.Fatal(err)
	}
}

// OpenRound imports the default questionnaire into st and opens a round of it named
// 测试轮 at opened. It returns the round and the questionnaire at the round's version.
func OpenRound(t testing.TB, st *store.Store, opened time.Time) (store.Round, *survey.Definition) {
	t.Helper()
	ctx := context.Background()
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ImportSurvey(ctx, def, nil); err != nil {
		t.Fatal(err)
	}
	round, err := st.StartRound(ctx, def.ID, "测试轮", nil, opened)
	if err != nil {
		t.Fatal(err)
	}
	def.Version = round.Version
	return round, def
}
