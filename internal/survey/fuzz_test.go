package survey_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"minyi/internal/survey"
	"minyi/internal/surveyfile"
	"minyi/surveys"
)

// FuzzCheck feeds arbitrary JSON objects to the default questionnaire's Check, as
// they are and laid over a complete set of answers (so that the fuzzer need not find
// all 23 required answers to get past "required"). Check must never panic, and answers
// it accepts are storable (valid UTF-8 without NUL, which jsonb refuses) and a fixed
// point: checking them again, as they are or after a trip through JSON as a client
// would resend them, gives the same answers and the same Hash. Seeds are in
// testdata/fuzz/FuzzCheck; run with go test -run '^$' -fuzz FuzzCheck ./internal/survey.
func FuzzCheck(f *testing.F) {
	def, complete := defaultSurvey(f)
	for _, s := range []string{
		`{}`,
		`{"q1":"resident","q2":"age_18_35","q3":"over_3y","q4":"know","q24":["parking","dogs","parking"],"q25":"  路灯坏了  ","q26":"yes","q27":"13800138000"}`,
		`{"q1":["resident"],"q24":[],"q25":["a","b"]}`,
		`{"q1":"nope","q24":["parking","dogs","market","other"],"q99":"x"}`,
		`{"q25":"\u0000","q27":"13800138000","q26":"no"}`,
		`{"q1":1,"q24":[1,true,null],"q25":{"a":"b"},"q4":null}`,
		`{"q25":"'; DROP TABLE responses; --","q26":["yes",""]}`,
		`{"q25":"\ud800<script>alert(1)</script>"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw map[string]any
		if json.Unmarshal(data, &raw) != nil {
			return
		}
		over := maps.Clone(complete)
		maps.Copy(over, raw)
		checkFixedPoint(t, def, raw)
		checkFixedPoint(t, def, over)
	})
}

// checkFixedPoint checks raw and, when they are accepted, the normalized answers.
func checkFixedPoint(t *testing.T, def *survey.Definition, raw map[string]any) {
	t.Helper()
	got, err := def.Check(raw)
	if err != nil {
		var ve *survey.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) == 0 {
			t.Fatalf("got %T %v, want a *ValidationError with fields", err, err)
		}
		return
	}
	for id, v := range got {
		if text, ok := v.(string); ok && (!utf8.ValidString(text) || strings.ContainsRune(text, 0)) {
			t.Fatalf("%s: accepted %q, which PostgreSQL cannot store in jsonb", id, text)
		}
	}
	hash := survey.Hash(def.ID, "a1", survey.ChannelQR, "", got)
	if again := survey.Hash(def.ID, "a1", survey.ChannelQR, "", got); again != hash {
		t.Fatalf("Hash: got %s, then %s", hash, again)
	}
	body, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var resent map[string]any
	if err := json.Unmarshal(body, &resent); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]map[string]any{"as returned": got, "through JSON": resent} {
		again, err := def.Check(in)
		if err != nil {
			t.Fatalf("%s: %v rejected on the second check: %v", name, got, err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("%s: got %#v, want %#v", name, again, got)
		}
		if h := survey.Hash(def.ID, "a1", survey.ChannelQR, "", again); h != hash {
			t.Fatalf("%s: Hash got %s, want %s", name, h, hash)
		}
	}
}

// TestCheckControlCharacters: text answers keep tabs and line breaks but not other
// control characters; NUL in particular cannot be stored.
func TestCheckControlCharacters(t *testing.T) {
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, want string // want is the q25 message, "" when accepted
	}{
		{"第一行\r\n第二行\t完", ""},
		{"a\x00b", survey.MsgBadText},
		{"a\x1b[2Jb", survey.MsgBadText},
		{"a\u0085b", survey.MsgBadText},
		{"a\xffb", survey.MsgBadText},
		{"\u202eRTL\u202c 😀", ""},
	} {
		raw := map[string]any{"q25": tc.text}
		for _, q := range def.Questions {
			if q.Required && q.Type == survey.Single {
				raw[q.ID] = q.Options[0].ID
			}
		}
		_, err := def.Check(raw)
		got := ""
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			got = ve.Fields["q25"]
		} else if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestCheckUnknownCapped: thousands of unknown ids make a short error, naming the
// first ones.
func TestCheckUnknownCapped(t *testing.T) {
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]any{}
	for i := range 5000 {
		raw[fmt.Sprintf("x%04d", i)] = "0"
	}
	_, err = def.Check(raw)
	var ve *survey.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	unknown := 0
	for id, msg := range ve.Fields {
		if msg == survey.MsgUnknown {
			unknown++
			if id >= fmt.Sprintf("x%04d", survey.MaxUnknownFields) {
				t.Errorf("named %s, want the first %d ids", id, survey.MaxUnknownFields)
			}
		}
	}
	if unknown != survey.MaxUnknownFields {
		t.Errorf("got %d unknown ids, want %d", unknown, survey.MaxUnknownFields)
	}
}

// defaultSurvey loads the default questionnaire and a complete set of answers to it:
// the first option of every required single choice.
func defaultSurvey(f *testing.F) (*survey.Definition, map[string]any) {
	def, err := surveyfile.Load(surveys.FS, surveys.Default)
	if err != nil {
		f.Fatal(err)
	}
	complete := map[string]any{}
	for _, q := range def.Questions {
		if q.Required && q.Type == survey.Single {
			complete[q.ID] = q.Options[0].ID
		}
	}
	return def, complete
}
