package store

import (
	"bytes"
	"encoding/json/jsontext"
	"fmt"
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

// cellKey is one row of the counter vectors: an area's subtree in a round, through a
// channel, on a day (the zero day in the rollups).
type cellKey struct {
	Round   int64
	Area    int64
	Channel string
	Day     time.Time
}

// countKey is what one place of a counter vector counts: an option of a question; the
// empty question and option count respondents.
type countKey struct {
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
// path from the root to the area answered for, and suggestions. The counters of a cell
// are a vector indexed like keys.
type folded struct {
	keys        []countKey       // what each place of the vectors counts
	index       map[countKey]int // the place of each key
	cells       map[cellKey][]int32
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
	f := folded{index: map[countKey]int{}}
	leaf := map[cellKey][]int32{} // by the area answered for; spread up the tree at the end
	dec := jsontext.NewDecoder(bytes.NewReader(nil))
	var texts []suggestion
	var own []countKey // this response's counters, to count again for a resident
	for _, r := range batch {
		cell := cellKey{r.RoundID, r.AreaID, r.Channel, r.Day}
		count := func(question, option string) {
			k := countKey{question, option}
			i, ok := f.index[k]
			if !ok {
				i = len(f.keys)
				f.index[k] = i
				f.keys = append(f.keys, k)
			}
			v := leaf[cell]
			if len(v) <= i {
				v = append(v, make([]int32, i+1-len(v))...)
				leaf[cell] = v
			}
			v[i] += r.Sign
		}
		add := func(question, option string) {
			count(question, option)
			own = append(own, countKey{question, option})
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
				count(ResidentPrefix+k.Question, k.Option)
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
	f.cells = make(map[cellKey][]int32, len(leaf)*2)
	for c, v := range leaf {
		for _, a := range paths[c.Area] {
			up := c
			up.Area = a
			f.cells[up] = addVector(f.cells[up], v)
		}
	}
	return f
}

// addVector returns sum + v, element by element, growing sum as needed.
func addVector(sum, v []int32) []int32 {
	if len(sum) < len(v) {
		sum = append(sum, make([]int32, len(v)-len(sum))...)
	}
	for i, n := range v {
		sum[i] += n
	}
	return sum
}

// tallies lists the counts that are not zero, by counter: for tests and for reading
// one batch's counts as rows.
func (f folded) tallies() map[tallyKey]int32 {
	out := map[tallyKey]int32{}
	for c, v := range f.cells {
		for i, n := range v {
			if n != 0 {
				out[tallyKey{c.Round, c.Area, c.Channel, c.Day, f.keys[i].Question, f.keys[i].Option}] = n
			}
		}
	}
	return out
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
