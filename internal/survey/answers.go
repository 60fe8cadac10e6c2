package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Answers maps question ids to a normalized answer: an option id (single), a sorted list
// of distinct option ids (multi) or trimmed text (text). Unanswered questions are absent.
type Answers map[string]any

// ValidationError says, per question id, what is wrong with the answers, in Chinese.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid answers (%d fields)", len(e.Fields))
}

// Chinese messages shown next to a question.
const (
	MsgChooseOne     = "请选择一项"
	MsgChooseSome    = "请至少选择一项"
	MsgRequiredText  = "请填写此项"
	MsgUnknownOption = "选项无效，请重新选择"
	MsgUnknown       = "问卷中没有这道题"
	MsgNotSingle     = "此题只能选择一项"
	MsgNotText       = "此题需要填写文字"
	MsgPhone         = "请填写正确的手机号或固定电话"
	MsgBadText       = "含有无法识别的字符，请删除后重新填写"
)

var phonePattern = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`)

// MaxUnknownFields is the most unknown question ids a ValidationError lists; the
// first ones in byte order are named.
const MaxUnknownFields = 20

// Check validates raw answers, as decoded from JSON (string or list of strings per
// question), against the definition and returns them normalized. Answers to questions
// hidden by show_if are dropped; empty answers count as unanswered. It returns a
// *ValidationError when anything is wrong, naming at most MaxUnknownFields unknown ids.
func (d *Definition) Check(raw map[string]any) (Answers, error) {
	out := Answers{}
	fields := map[string]string{}
	var unknown []string
	for id := range raw {
		if _, ok := d.Question(id); !ok {
			unknown = append(unknown, id)
		}
	}
	// A 64 KB body can name thousands of unknown ids: list a few, so that the reply
	// stays small.
	slices.Sort(unknown)
	for _, id := range unknown[:min(len(unknown), MaxUnknownFields)] {
		fields[id] = MsgUnknown
	}
	for i := range d.Questions {
		q := &d.Questions[i]
		if !q.Visible(out) {
			continue
		}
		val, msg := q.normalize(raw[q.ID])
		switch {
		case msg != "":
			fields[q.ID] = msg
		case val == nil && q.Required:
			fields[q.ID] = q.missingMessage()
		case val != nil:
			out[q.ID] = val
		}
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Fields: fields}
	}
	return out, nil
}

// Visible reports whether the question is shown given the answers so far.
func (q *Question) Visible(a Answers) bool {
	if q.ShowIf == nil {
		return true
	}
	switch v := a[q.ShowIf.Question].(type) {
	case string:
		return slices.Contains(q.ShowIf.In, v)
	case []string:
		for _, s := range v {
			if slices.Contains(q.ShowIf.In, s) {
				return true
			}
		}
	}
	return false
}

func (q *Question) missingMessage() string {
	switch q.Type {
	case Single:
		return MsgChooseOne
	case Multi:
		return MsgChooseSome
	}
	return MsgRequiredText
}

// normalize returns the canonical answer (nil when unanswered) or a message.
func (q *Question) normalize(v any) (any, string) {
	values, ok := strings1(v)
	if !ok {
		if q.Type == Text {
			return nil, MsgNotText
		}
		return nil, MsgUnknownOption
	}
	switch q.Type {
	case Single:
		if len(values) == 0 {
			return nil, ""
		}
		if len(values) > 1 {
			return nil, MsgNotSingle
		}
		if _, ok := q.Option(values[0]); !ok {
			return nil, MsgUnknownOption
		}
		return values[0], ""
	case Multi:
		if len(values) == 0 {
			return nil, ""
		}
		set := []string{}
		for _, id := range values {
			if _, ok := q.Option(id); !ok {
				return nil, MsgUnknownOption
			}
			if !slices.Contains(set, id) {
				set = append(set, id)
			}
		}
		if q.Max > 0 && len(set) > q.Max {
			return nil, fmt.Sprintf("最多选择%d项", q.Max)
		}
		slices.Sort(set)
		return set, ""
	}
	if len(values) > 1 {
		return nil, MsgNotText
	}
	text := ""
	if len(values) == 1 {
		text = strings.TrimSpace(values[0])
	}
	if text == "" {
		return nil, ""
	}
	if !utf8.ValidString(text) || strings.IndexFunc(text, control) >= 0 {
		return nil, MsgBadText
	}
	if n := utf8.RuneCountInString(text); n > q.MaxLen() {
		return nil, fmt.Sprintf("最多填写%d个字", q.MaxLen())
	}
	if q.Format == "phone" && !phonePattern.MatchString(text) {
		return nil, MsgPhone
	}
	return text, ""
}

// control reports the characters a text answer may not hold: control characters
// other than tab and line breaks. PostgreSQL cannot store NUL in jsonb at all (one
// such answer would fail the whole batch it is committed with), and the others only
// garble exports and terminals.
func control(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}

// strings1 accepts nil, a string, or a list of strings; empty strings are dropped.
func strings1(v any) ([]string, bool) {
	switch t := v.(type) {
	case nil:
		return nil, true
	case string:
		if t == "" {
			return nil, true
		}
		return []string{t}, true
	case []string:
		return slices.DeleteFunc(slices.Clone(t), func(s string) bool { return s == "" }), true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			if s != "" {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}

// Hash is a digest of everything a submission says: survey, area, channel, household
// key (empty when none) and normalized answers. Two submissions with one client_id are
// the same exactly when their hashes are equal.
func Hash(surveyID, area string, channel Channel, household string, a Answers) string {
	return HashEncoded(surveyID, area, channel, household, a.Encode())
}

// HashEncoded is Hash of answers already encoded with Encode.
func HashEncoded(surveyID, area string, channel Channel, household string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", surveyID, area, channel, household)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}
