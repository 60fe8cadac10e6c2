package intake

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

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
}

// PaperFile is an upload of paper questionnaires, read, for the round and survey
// version it was read against.
type PaperFile struct {
	Name  string   // for messages
	Sum   [32]byte // SHA-256 of the file: with the line, it makes each row's client id
	Round store.Round
	Def   *survey.Definition
	Rows  []PaperRow
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
// file again counts nothing twice. Returns a *csvfile.ImportError listing the lines
// that cannot be taken.
func (in *Intake) TakePaper(ctx context.Context, who *Entrant, f PaperFile) (PaperReport, error) {
	subs, keys, err := in.paperSubmissions(ctx, who, f)
	if err != nil {
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
	bad := &csvfile.ImportError{}
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
			bad.Add(f.Name, f.Rows[i].Line, "该户本轮已完成问卷，不能重复录入")
		case errors.Is(o.Err, survey.ErrClientIDReused):
			bad.Add(f.Name, f.Rows[i].Line, "该行已用于另一份不同的答卷")
		case errors.Is(o.Err, survey.ErrNoOpenRound):
			bad.Add(f.Name, f.Rows[i].Line, "本轮问卷调查已结束")
		default:
			return PaperReport{}, o.Err
		}
	}
	return rep, bad.Err()
}

// paperSubmissions checks where each row may be entered and builds its submission;
// a household named twice in the file is an error of the second line. It returns the
// households named, per area id.
func (in *Intake) paperSubmissions(ctx context.Context, who *Entrant, f PaperFile) ([]store.Submission, map[int64][]string, error) {
	bad := &csvfile.ImportError{}
	fail := func(line int, format string, args ...any) { bad.Add(f.Name, line, format, args...) }
	allowed := map[string]error{}
	homes := map[string]int{}
	keys := map[int64][]string{}
	subs := make([]store.Submission, 0, len(f.Rows))
	for _, row := range f.Rows {
		a, err := in.catalog.Area(ctx, row.Area)
		if errors.Is(err, survey.ErrNotFound) {
			fail(row.Line, "区域代码 %s 不存在", row.Area)
			continue
		} else if err != nil {
			return nil, nil, err
		}
		if !a.InScope {
			fail(row.Line, "区域 %s 不在本次问卷调查范围内", a.Name)
			continue
		}
		may, checked := allowed[a.Code]
		if !checked {
			may = in.MayEnter(ctx, who, a)
			allowed[a.Code] = may
		}
		if errors.Is(may, survey.ErrNotFound) || errors.Is(may, ErrNotAssigned) {
			fail(row.Line, "您无权为区域 %s 录入问卷（不在管辖范围内或未被分派）", row.Area)
			continue
		} else if may != nil {
			return nil, nil, may
		}
		key := ""
		if row.Household != "" {
			if key, err = household.Key(row.Household); err != nil {
				fail(row.Line, "住户 %q 无效：%v", row.Household, err)
				continue
			}
			if first, dup := homes[a.Code+"\x00"+key]; dup {
				fail(row.Line, "住户 %s 与第 %d 行重复", key, first)
				continue
			}
			homes[a.Code+"\x00"+key] = row.Line
			keys[a.ID] = append(keys[a.ID], key)
		}
		answers, err := f.Def.Check(row.Answers)
		if err != nil {
			var ve *survey.ValidationError
			if errors.As(err, &ve) {
				fail(row.Line, "答案有误：%v", ve.Fields)
				continue
			}
			return nil, nil, err
		}
		sub := store.Submission{
			ClientID:    uuid.NewSHA1(paperNamespace, fmt.Appendf(nil, "%x\x00%s\x00%d", f.Sum, f.Def.ID, row.Line)),
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
			sub.Household, sub.HouseholdHash = key, in.householdHash(a.Code, key)
		}
		subs = append(subs, sub)
	}
	if err := bad.Err(); err != nil {
		return nil, nil, err
	}
	return subs, keys, nil
}
