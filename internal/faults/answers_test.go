//go:build linux

package faults

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"minyi/internal/survey"
	"minyi/internal/surveyfile"
	"minyi/surveys"
)

// communities are the demo communities the residents live in.
var communities = []string{"990100001001", "990100001002", "990100002001", "990100002003", "990100003001", "990100003201"}

// answerSets returns n complete, valid answer sets for the default survey, built from
// surveys/chuangwen.yaml as the demo loads it, varied so that indicators differ by area.
func answerSets(t *testing.T, n int) []json.RawMessage {
	t.Helper()
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sets := make([]json.RawMessage, n)
	for i := range sets {
		a := map[string]any{}
		for _, q := range def.Questions {
			if c := q.ShowIf; c != nil {
				if v, _ := a[c.Question].(string); !slices.Contains(c.In, v) {
					continue
				}
			}
			switch {
			case q.Type == survey.Single && (q.Required || rng.IntN(2) == 0):
				a[q.ID] = q.Options[rng.IntN(len(q.Options))].ID
			case q.Type == survey.Multi && len(q.Options) > 0:
				a[q.ID] = []string{q.Options[rng.IntN(len(q.Options))].ID}
			case q.Type == survey.Text && q.Format == "phone":
				a[q.ID] = "13812345678"
			case q.Type == survey.Text:
				a[q.ID] = "希望小区增加停车位，改善路灯照明。"
			}
		}
		if sets[i], err = json.Marshal(a); err != nil {
			t.Fatal(err)
		}
	}
	return sets
}
