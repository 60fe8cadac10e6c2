package survey_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"testing"

	"minyi/internal/survey"
)

// FuzzAnswersJSON holds the fast answer decoding and encoding to encoding/json's: an
// answers object that Submitted decodes decodes the same with encoding/json into a
// map, and answers that Check accepts encode to exactly the bytes json.Marshal makes
// of them (stored content hashes depend on those bytes). Seeds are in
// testdata/fuzz/FuzzAnswersJSON; run with go test -run '^$' -fuzz FuzzAnswersJSON ./internal/survey.
func FuzzAnswersJSON(f *testing.F) {
	def, complete := defaultSurvey(f)
	for _, s := range []string{
		`{}`,
		`null`,
		`{"q1":"resident","q2":"age_18_35","q3":"over_3y","q4":"know","q24":["parking","dogs"],"q25":"路灯坏了<script>&</script>","q26":"yes","q27":"13800138000"}`,
		`{"q1":["resident"],"q24":[],"q25":["a",["b"]]}`,
		`{"q1":1.5e3,"q24":[1,true,null,{"x":[]}],"q25":{"a":"b"},"q4":null}`,
		`{"q25":"\u2028\u2029\"\\\/\b\f\n\r\t\u0001 😀 ＋８６"}`,
		`{"q25":"\ud800"}`,
		`[1,2]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got survey.Submitted
		if json.Unmarshal(data, &got) != nil {
			return // refused: the submission gets a 400
		}
		var want map[string]any
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("Submitted decoded %q, encoding/json refused it: %v", data, err)
		}
		if !reflect.DeepEqual(map[string]any(got), want) {
			t.Fatalf("decoded %q:\n got %#v\nwant %#v", data, got, want)
		}
		var direct survey.Submitted // from bytes alone, stricter about UTF-8
		if direct.UnmarshalJSON(data) == nil && !reflect.DeepEqual(direct, got) {
			t.Fatalf("UnmarshalJSON of %q:\n got %#v\nwant %#v", data, direct, got)
		}
		// Laid over a complete set of answers, most inputs get past Check.
		over := maps.Clone(complete)
		maps.Copy(over, got)
		for _, raw := range []map[string]any{got, over} {
			a, err := def.Check(raw)
			if err != nil {
				continue
			}
			wantBody, err := json.Marshal(map[string]any(a))
			if err != nil {
				t.Fatal(err)
			}
			if body := a.Encode(); string(body) != string(wantBody) {
				t.Fatalf("Encode of %#v:\n got %s\nwant %s", a, body, wantBody)
			}
		}
	})
}
