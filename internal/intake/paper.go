package intake

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/csvfile"
	"minyi/internal/household"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// PaperRow is one paper questionnaire of an uploaded file.
type PaperRow struct {
	Line      int
	Area      string // area code
	Household string // as written; may be empty
	Answers   survey.Submitted
	// BadAnswers says that the answers of the line could not be read: the reasons are
	// in PaperFile.ReadErrors. Its area and household are still checked.
	BadAnswers bool
}

// PaperFile is an upload of paper questionnaires, read, for the round and survey
// version it was read against.
type PaperFile struct {
	Name  string   // for messages
	Sum   [32]byte // SHA-256 of the file: with the line, it makes each row's client id
	Round store.Round
	Def   *survey.Definition
	Rows  []PaperRow
	// ReadErrors lists the lines that could not be read, or is nil. Lines of the
	// wrong width are not among Rows; lines with BadAnswers are.
	ReadErrors *csvfile.ImportError
}

// PaperReport says what an upload stored.
type PaperReport struct {
	Created  int
	Replayed int // rows stored by an earlier upload of the same file
	Pending  int // of the created: held for review
}

// paperNamespace derives the client ids of uploaded questionnaires.
var paperNamespace = uuid.MustParse("5b0f3c1e-8a61-4c3e-9d0a-6f1e2b7c9a40")

// TakePaper stores the rows of a paper upload all together or not at all. Each row is
// an entry on channel paper and meets the rules of one: where the entrant may enter,
// one response per household per round (within the file too), the per-user budget
// (every row counts) and the entry_burst and unlisted_household flags. The client id
// of a row comes from the file's content and the line, so that uploading the same
// file again counts nothing twice. Returns a *csvfile.ImportError listing, by line,
// every reason a line cannot be taken, those of f.ReadErrors among them; a household
// answered in the round meanwhile is still one.
func (in *Intake) TakePaper(ctx context.Context, who *Entrant, f PaperFile) (PaperReport, error) {
	bad := &csvfile.ImportError{}
	subs, lines, keys, err := in.paperSubmissions(ctx, who, f, bad)
	if err != nil {
		return PaperReport{}, err
	}
	bad.Merge(f.ReadErrors)
	if err := bad.Err(); err != nil {
		return PaperReport{}, err
	}
	if len(subs) > in.limits.PerUser {
		return PaperReport{}, &FieldError{"file", fmt.Sprintf("每个账号每分钟最多录入 %d 份问卷，请把文件拆分后分批导入", in.limits.PerUser)}
	}
	if err := in.limit(ctx, "user", fmt.Sprint(who.ID), in.limits.PerUser, len(subs)); err != nil {
		return PaperReport{}, err
	}
	for i := len(subs) - in.entryBursts(ctx, who.ID, len(subs)); i < len(subs); i++ {
		subs[i].Flags = append(subs[i].Flags, EntryBurst)
	}
	for areaID, list := range keys {
		off, err := in.unlisted(ctx, areaID, list)
		if err != nil {
			return PaperReport{}, err
		}
		for i := range subs {
			if subs[i].AreaID == areaID && off[subs[i].Household] {
				subs[i].Flags = append(subs[i].Flags, UnlistedHousehold)
			}
		}
	}
	out, err := in.store.SubmitAll(ctx, subs, in.now())
	if err != nil {
		return PaperReport{}, err
	}
	var rep PaperReport
	for i, o := range out {
		switch {
		case o.Err == nil && o.Replayed:
			rep.Replayed++
		case o.Err == nil:
			rep.Created++
			if len(subs[i].Flags) > 0 {
				rep.Pending++
			}
		case errors.Is(o.Err, survey.ErrDuplicateHousehold):
			bad.Add(f.Name, lines[i], msgAnswered)
		case errors.Is(o.Err, survey.ErrClientIDReused):
			bad.Add(f.Name, lines[i], "该行已用于另一份不同的答卷")
		case errors.Is(o.Err, survey.ErrNoOpenRound):
			bad.Add(f.Name, lines[i], "本轮问卷调查已结束")
		default:
			return PaperReport{}, o.Err
		}
	}
	return rep, bad.Err()
}

// msgAnswered is the reason given on a line whose household has a response in the
// round already.
const msgAnswered = "该户本轮已完成问卷，不能重复录入"

// paperHome is a household a row names in an area the entrant may enter, to look up
// in the round.
type paperHome struct {
	line     int
	hash     string
	clientID uuid.UUID
}

// paperSubmissions checks every row and builds the submissions of the good ones, with
// their lines. It adds to bad every reason a row cannot be taken that can be known
// before storing: where it may be entered, its household (a household named twice in
// the file is an error of the later line; one answered in the round already, of every
// line naming it), its answers. A row whose answers could not be read is checked for
// the rest. It returns the households named, per area id.
func (in *Intake) paperSubmissions(ctx context.Context, who *Entrant, f PaperFile, bad *csvfile.ImportError) (subs []store.Submission, lines []int, keys map[int64][]string, err error) {
	fail := func(line int, format string, args ...any) { bad.Add(f.Name, line, format, args...) }
	allowed := map[string]error{}
	seen := map[string]int{}
	var homes []paperHome
	keys = map[int64][]string{}
	for _, row := range f.Rows {
		failed := bad.Total
		a, may, err := in.paperArea(ctx, who, row, allowed, fail)
		if err != nil {
			return nil, nil, nil, err
		}
		key, hash := "", ""
		if a.Code != "" && row.Household != "" {
			key = paperHousehold(row, a.Code, seen, fail)
		}
		clientID := uuid.NewSHA1(paperNamespace, fmt.Appendf(nil, "%x\x00%s\x00%d", f.Sum, f.Def.ID, row.Line))
		if key != "" {
			hash = in.householdHash(a.Code, key)
			if may {
				homes = append(homes, paperHome{row.Line, hash, clientID})
			}
		}
		if row.BadAnswers {
			continue
		}
		answers, err := paperAnswers(f.Def, row, fail)
		if err != nil {
			return nil, nil, nil, err
		}
		if bad.Total > failed {
			continue
		}
		sub := store.Submission{
			ClientID:    clientID,
			Round:       f.Round,
			AreaID:      a.ID,
			Channel:     survey.ChannelPaper,
			Answers:     answers,
			Definition:  f.Def,
			ContentHash: survey.Hash(f.Def.ID, a.Code, survey.ChannelPaper, key, answers),
			EnteredBy:   &who.ID,
		}
		if who.TokenID != 0 {
			sub.TokenID = &who.TokenID
		}
		if key != "" {
			sub.Household, sub.HouseholdHash = key, hash
			keys[a.ID] = append(keys[a.ID], key)
		}
		subs, lines = append(subs, sub), append(lines, row.Line)
	}
	if err := in.answeredBefore(ctx, f, homes, bad); err != nil {
		return nil, nil, nil, err
	}
	return subs, lines, keys, nil
}

// paperAnswers checks the answers of a row as the form does, adding a reason to fail
// per question that is wrong, in the order of the survey; the answers are nil then.
func paperAnswers(def *survey.Definition, row PaperRow, fail func(line int, format string, args ...any)) (survey.Answers, error) {
	answers, err := def.Check(row.Answers)
	var ve *survey.ValidationError
	if !errors.As(err, &ve) {
		return answers, err
	}
	ids := make([]string, 0, len(ve.Fields))
	for _, q := range def.Questions {
		if _, ok := ve.Fields[q.ID]; ok {
			ids = append(ids, q.ID)
		}
	}
	if len(ids) == 0 { // only ids not in the survey
		ids = slices.Sorted(maps.Keys(ve.Fields))
	}
	for _, id := range ids {
		fail(row.Line, "%s：%s", id, ve.Fields[id])
	}
	return nil, nil
}

// paperHousehold returns the key of the household a row names in the area of code,
// or "" when it is no household; seen has the line where each household of the file
// is first named, by area code and key.
func paperHousehold(row PaperRow, code string, seen map[string]int, fail func(line int, format string, args ...any)) string {
	key, err := household.Key(row.Household)
	if err != nil {
		fail(row.Line, "住户 %q 无效：%v", row.Household, err)
		return ""
	}
	if first, dup := seen[code+"\x00"+key]; dup {
		fail(row.Line, "住户 %s 与第 %d 行重复", key, first)
	} else {
		seen[code+"\x00"+key] = row.Line
	}
	return key
}

// paperArea finds the area a row names and says whether the entrant may enter
// answers there, adding the reason to fail when not. The area is zero when the row
// names none that exists. allowed keeps what MayEnter said per area code.
func (in *Intake) paperArea(ctx context.Context, who *Entrant, row PaperRow, allowed map[string]error,
	fail func(line int, format string, args ...any)) (area.Area, bool, error) {
	if row.Area == "" {
		fail(row.Line, "区域代码不能为空")
		return area.Area{}, false, nil
	}
	a, err := in.catalog.Area(ctx, row.Area)
	if errors.Is(err, survey.ErrNotFound) {
		fail(row.Line, "区域代码 %s 不存在", row.Area)
		return area.Area{}, false, nil
	} else if err != nil {
		return area.Area{}, false, err
	}
	if !a.InScope {
		fail(row.Line, "区域 %s 不在本次问卷调查范围内", a.Name)
		return a, false, nil
	}
	may, checked := allowed[a.Code]
	if !checked {
		may = in.MayEnter(ctx, who, a)
		allowed[a.Code] = may
	}
	if errors.Is(may, survey.ErrNotFound) || errors.Is(may, ErrNotAssigned) {
		fail(row.Line, "您无权为区域 %s 录入问卷（不在管辖范围内或未被分派）", row.Area)
		return a, false, nil
	}
	return a, may == nil, may
}

// answeredBefore adds to bad the lines whose household has a response in the round
// already, other than the line's own from an earlier upload of the same file.
func (in *Intake) answeredBefore(ctx context.Context, f PaperFile, homes []paperHome, bad *csvfile.ImportError) error {
	hashes := make([]string, len(homes))
	for i, h := range homes {
		hashes[i] = h.hash
	}
	answered, err := in.store.AnsweredHouseholds(ctx, f.Round.ID, hashes)
	if err != nil {
		return err
	}
	for _, h := range homes {
		if id, ok := answered[h.hash]; ok && id != h.clientID {
			bad.Add(f.Name, h.line, msgAnswered)
		}
	}
	return nil
}
