package surveyfile

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"minyi/internal/survey"
	"minyi/surveys"
)

// TestDefault checks the shipped questionnaire against DOMAIN.md.
func TestDefault(t *testing.T) {
	def, err := Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	if def.ID != "chuangwen" || def.Title != "创建全国文明城市群众满意度模拟问卷" {
		t.Errorf("got %s %s, want chuangwen 创建全国文明城市群众满意度模拟问卷", def.ID, def.Title)
	}
	if got, want := len(def.Questions), 27; got != want {
		t.Fatalf("got %v questions, want %v", got, want)
	}
	for i, q := range def.Questions {
		if want := fmt.Sprintf("q%d", i+1); q.ID != want {
			t.Errorf("question %d: got id %v, want %v", i+1, q.ID, want)
		}
		if i < 23 && (q.Type != survey.Single || !q.Required) {
			t.Errorf("%s: got %v required=%v, want single required=true", q.ID, q.Type, q.Required)
		}
	}
	q27 := def.Questions[26]
	if q27.Format != "phone" || q27.ShowIf == nil || q27.ShowIf.Question != "q26" {
		t.Errorf("q27: got format %q show_if %+v, want phone shown after q26", q27.Format, q27.ShowIf)
	}

	satisfied := []string{"very_satisfied", "satisfied", "basic"}
	for _, tc := range []struct {
		id, question       string
		kind               survey.Kind
		positive, excluded []string
		target             float64
	}{
		{"awareness", "q4", survey.Awareness, []string{"know"}, nil, 1},
		{"support", "q10", survey.Support, []string{"support"}, []string{"unsure"}, 0.95},
		{"satisfaction", "q21", survey.Satisfaction, satisfied, []string{"unknown"}, 0.95},
		{"participation", "q22", survey.Participation, []string{"often", "sometimes"}, nil, 0.95},
		{"topic_q12", "q12", survey.Topic, satisfied, []string{"unknown"}, 0.90},
	} {
		i := slices.IndexFunc(def.Indicators, func(ind survey.Indicator) bool { return ind.ID == tc.id })
		if i < 0 {
			t.Errorf("got no indicator %s, want one", tc.id)
			continue
		}
		ind := def.Indicators[i]
		got := fmt.Sprint(ind.Question, ind.Kind, ind.Positive, ind.Excluded, *ind.Target, ind.Headline)
		want := fmt.Sprint(tc.question, tc.kind, tc.positive, tc.excluded, tc.target, tc.kind != survey.Topic)
		if got != want {
			t.Errorf("%s: got %v, want %v", tc.id, got, want)
		}
	}

	var topics []string
	for _, ind := range def.Indicators {
		if ind.Kind != survey.Topic {
			continue
		}
		topics = append(topics, ind.Question)
		q, _ := def.Question(ind.Question)
		if _, ok := q.Option("very_satisfied"); ok && (!slices.Equal(ind.Positive, satisfied) || !slices.Equal(ind.Excluded, []string{"unknown"})) {
			t.Errorf("%s: got positive %v excluded %v, want the rule of q21", ind.ID, ind.Positive, ind.Excluded)
		}
	}
	want := []string{"q5", "q6", "q7", "q8", "q9", "q11", "q12", "q13", "q14", "q15", "q16", "q17", "q18", "q19", "q20", "q23"}
	if !slices.Equal(topics, want) {
		t.Errorf("got topic questions %v, want %v", topics, want)
	}
}

// TestDefaultPunctuation: the shipped questionnaire's Chinese text uses full-width
// punctuation, and leaves （选填） and （多选） to the form, which adds them once.
func TestDefaultPunctuation(t *testing.T) {
	def, err := Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"title": def.Title, "intro": def.Intro}
	for _, q := range def.Questions {
		texts[q.ID] = q.Text
		texts[q.ID+" section"] = q.Section
		for _, o := range q.Options {
			texts[q.ID+"/"+o.ID] = o.Text
		}
	}
	for where, text := range texts {
		if i := strings.IndexAny(text, `(),?:;!"`); i >= 0 {
			t.Errorf("%s: got %q with ASCII %q, want full-width punctuation", where, text, text[i])
		}
		for _, word := range []string{"选填", "多选"} {
			if strings.Contains(text, word) {
				t.Errorf("%s: got %q, want no %s (the form adds it)", where, text, word)
			}
		}
	}
}
