package store

import (
	"bytes"
	"cmp"
	"encoding/json/jsontext"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"minyi/internal/privacy"
)

// queued is one response taken from the counting queue by a fold.
type queued struct {
	ID uuid.UUID
	// Sign is +1 to count the response, -1 to take it out of the counts again (a
	// counted response rejected on review).
	Sign        int32
	RoundID     int64
	VersionID   int64
	AreaID      int64
	Channel     string
	Day         time.Time
	SubmittedAt time.Time
	Answers     []byte // JSON, as stored
}

// countedQuestion is a question of a survey version that a fold looks at: a single
// or multiple choice is counted, a text one is filed as a suggestion (or, when its
// format is phone, kept as the call-back number of the suggestions beside it).
type countedQuestion struct {
	ID    string
	Type  string // single, multi or text
	Phone bool
	// Resident is, on the survey's resident question, the option that marks a
	// resident (survey.Definition.Resident); "" on every other question.
	Resident string
}

// ResidentPrefix keys the counters of residents' responses: each of them is counted
// once more under ResidentPrefix + question (respondents under ResidentPrefix alone),
// so that the residents-only view reads counters like every other. No question id
// contains a colon.
const ResidentPrefix = "resident:"

// tallyKey is one counter of the tallies; rollups are the same without the day. The
// empty question counts respondents.
type tallyKey struct {
	Round    int64
	Area     int64
	Channel  string
	Day      time.Time
	Question string
	Option   string
}

// suggestion is one free-text answer to file, phone numbers masked.
type suggestion struct {
	Response    uuid.UUID
	Question    string
	Round, Area int64
	Channel     string
	Day         time.Time
	SubmittedAt time.Time
	Body        string
	Phone       string
}

// folded is what a batch of queued responses adds: counters, for every area on the
// path from the root to the area answered for, and suggestions.
type folded struct {
	tallies     map[tallyKey]int32
	suggestions []suggestion
	withdrawn   []uuid.UUID // responses taken out of the counts: their suggestions go
}

// AnsweredOption is the option under which a multiple choice counts the respondents
// who chose at least one option: the denominator of its shares.
const AnsweredOption = ""

// countQueued counts responses, for the fold and the recount alike (one counting rule): every respondent
// once under the empty question, a single choice under its option, a multiple choice
// under each option chosen and, when any is, once under AnsweredOption, and all of a
// resident's counters once more under ResidentPrefix; answers of another
// JSON type not at all; text answers become suggestions, with the answer to the
// version's first phone question (by id) as their call-back number. questions holds
// each version's questions by id; paths each area's ancestors, itself included.
func countQueued(batch []queued, questions map[int64]map[string]countedQuestion, paths map[int64][]int64) folded {
	f := folded{tallies: make(map[tallyKey]int32)}
	leaf := make(map[tallyKey]int32) // by the area answered for; spread up the tree at the end
	dec := jsontext.NewDecoder(bytes.NewReader(nil))
	var texts []suggestion
	var own [][2]string // this response's counters, to count again for a resident
	for _, r := range batch {
		add := func(question, option string) {
			leaf[tallyKey{r.RoundID, r.AreaID, r.Channel, r.Day, question, option}] += r.Sign
			own = append(own, [2]string{question, option})
		}
		own = own[:0]
		resident := false
		add("", "")
		texts = texts[:0]
		callBack, phoneQuestion := "", ""
		err := eachAnswer(dec, r.Answers, func(id string, text string, options []string) {
			q, ok := questions[r.VersionID][id]
			switch {
			case !ok:
			case options != nil && q.Type == "multi":
				if len(options) > 0 {
					add(id, AnsweredOption)
				}
				for _, o := range options {
					add(id, o)
				}
			case options != nil:
			case q.Type == "single":
				add(id, text)
				resident = resident || (q.Resident != "" && text == q.Resident)
			case q.Type == "text" && q.Phone:
				if phoneQuestion == "" || id < phoneQuestion {
					callBack, phoneQuestion = privacy.MaskPhones(text), id
				}
			case q.Type == "text":
				texts = append(texts, suggestion{
					Response: r.ID, Question: id, Round: r.RoundID, Area: r.AreaID, Channel: r.Channel,
					Day: r.Day, SubmittedAt: r.SubmittedAt, Body: privacy.MaskPhones(text),
				})
			}
		})
		if err == nil && resident {
			for _, k := range own {
				leaf[tallyKey{r.RoundID, r.AreaID, r.Channel, r.Day, ResidentPrefix + k[0], k[1]}] += r.Sign
			}
		}
		if r.Sign < 0 {
			f.withdrawn = append(f.withdrawn, r.ID)
			continue
		}
		if err != nil {
			// Not an object (jsonb prints nothing else that does not parse): as in the
			// recount, the respondent counts and the answers do not.
			continue
		}
		for _, t := range texts {
			t.Phone = callBack
			f.suggestions = append(f.suggestions, t)
		}
	}
	for k, n := range leaf {
		for _, a := range paths[k.Area] {
			up := k
			up.Area = a
			f.tallies[up] += n
		}
	}
	return f
}

// eachAnswer reads a stored answer object and calls fn for every answer that is a
// string (options nil) or an array (the strings in it, never nil); answers of other
// types are skipped.
func eachAnswer(dec *jsontext.Decoder, body []byte, fn func(id, text string, options []string)) error {
	// Stored answers are jsonb, whose keys are unique: no need to look for duplicates.
	dec.Reset(bytes.NewReader(body), jsontext.AllowDuplicateNames(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return fmt.Errorf("answers are not a JSON object: %v", err)
	}
	for dec.PeekKind() != '}' {
		key, err := dec.ReadToken()
		if err != nil {
			return err
		}
		id := key.String() // a token is good until the next read
		switch dec.PeekKind() {
		case '"':
			v, err := dec.ReadToken()
			if err != nil {
				return err
			}
			fn(id, v.String(), nil)
		case '[':
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			options := []string{}
			for dec.PeekKind() != ']' {
				if dec.PeekKind() != '"' {
					if err := dec.SkipValue(); err != nil {
						return err
					}
					continue
				}
				v, err := dec.ReadToken()
				if err != nil {
					return err
				}
				options = append(options, v.String())
			}
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			fn(id, "", options)
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	return nil
}

// tallyRows returns the counters in key order, so that every fold updates rows in the
// same order.
func (f folded) tallyRows() ([]tallyKey, []int32) {
	keys := make([]tallyKey, 0, len(f.tallies))
	for k := range f.tallies {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareTally)
	n := make([]int32, len(keys))
	for i, k := range keys {
		n[i] = f.tallies[k]
	}
	return keys, n
}

// rollupRows sums the counters over days, in key order.
func (f folded) rollupRows() ([]tallyKey, []int32) {
	sums := make(map[tallyKey]int32, len(f.tallies)/2)
	for k, n := range f.tallies {
		k.Day = time.Time{}
		sums[k] += n
	}
	return folded{tallies: sums}.tallyRows()
}

func compareTally(a, b tallyKey) int {
	return cmp.Or(
		cmp.Compare(a.Round, b.Round),
		cmp.Compare(a.Area, b.Area),
		cmp.Compare(a.Channel, b.Channel),
		a.Day.Compare(b.Day),
		cmp.Compare(a.Question, b.Question),
		cmp.Compare(a.Option, b.Option),
	)
}
