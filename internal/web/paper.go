package web

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/csvfile"
	"minyi/internal/household"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// paperPageData is what the paper entry page shows.
type paperPageData struct {
	Me      *principal
	Version string
	Surveys []bootSurvey
	Survey  *bootSurvey
	Areas   []bootArea
	Header  string
}

// paperPage handles GET /paper[?survey=S]: keyed entry of paper questionnaires, one
// after another, and the CSV upload.
func (s *Server) paperPage(c echo.Context) error {
	ctx := c.Request().Context()
	var reply bootstrapReply
	if _, err := s.enterable(c, &reply); err != nil {
		return err
	}
	data := paperPageData{Me: principalOf(c), Version: appVersion(), Areas: reply.Areas}
	surveys, err := s.fieldedSurveys(ctx)
	if err != nil {
		return err
	}
	data.Surveys = surveys
	for i := range data.Surveys {
		if data.Survey == nil || data.Surveys[i].ID == c.QueryParam("survey") {
			data.Survey = &data.Surveys[i]
		}
	}
	if data.Survey != nil {
		def, err := s.cache.Definition(ctx, data.Survey.ID, data.Survey.Version)
		if err != nil {
			return err
		}
		data.Header = strings.Join(paperHeader(def), ",")
	}
	return s.render(c, http.StatusOK, "paper_entry.html", data)
}

// paperNamespace derives the client ids of uploaded questionnaires.
var paperNamespace = uuid.MustParse("5b0f3c1e-8a61-4c3e-9d0a-6f1e2b7c9a40")

// importPaper handles POST /api/v1/paper/import?survey=S: a CSV file of paper
// questionnaires, as the "file" field of a multipart form or as the body. Every line
// is checked first, then all are stored in one transaction, or none. The client id of
// each questionnaire comes from the file's content and the line, so that uploading
// the same file again counts nothing twice.
func (s *Server) importPaper(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	if err := s.limit(ctx, "user", strconv.FormatInt(p.ID, 10), s.cfg.Limits.PerUser); err != nil {
		return err
	}
	surveyID := c.QueryParam("survey")
	if surveyID == "" {
		surveyID = c.FormValue("survey")
	}
	if surveyID == "" {
		return invalidParam("survey", "请指定问卷")
	}
	round, def, err := s.cache.Fielded(ctx, surveyID)
	if err != nil {
		return err
	}
	name, r, err := upload(c)
	if err != nil {
		return err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	// Every error of the file is named in one reply, whatever its kind: the file's
	// own, the answers', the areas' and households', and those only the database
	// knows (a household done already), found by a trial that is rolled back.
	rows, err := parsePaperCSV(name, data, def)
	var lines lineErrors
	var ie *csvfile.ImportError
	if errors.As(err, &ie) {
		lines = append(lines, ie.Lines...)
	} else if err != nil {
		return err
	}
	subs, subLines, lines, err := s.paperSubmissions(c, name, data, round, def, rows, lines)
	if err != nil {
		return err
	}
	submit := s.store.SubmitAll
	if len(lines) > 0 {
		submit = s.store.TrySubmitAll
	}
	out, err := submit(ctx, subs, s.now())
	if err != nil {
		return err
	}
	var reply importReply
	for i, o := range out {
		switch {
		case o.Err == nil && o.Replayed:
			reply.Replayed++
		case o.Err == nil:
			reply.Created++
		case errors.Is(o.Err, survey.ErrDuplicateHousehold), errors.Is(o.Err, survey.ErrClientIDReused),
			errors.Is(o.Err, survey.ErrNoOpenRound):
			lines = append(lines, csvfile.LineError{File: name, Line: subLines[i], Reason: toAPIError(o.Err).Message})
		default:
			return o.Err
		}
	}
	if err := lines.Err(); err != nil {
		return err
	}
	s.audit(c, p, "paper.import", p.AreaCode, name,
		map[string]any{"survey": def.ID, "round": round.ID, "created": reply.Created, "replayed": reply.Replayed})
	return c.JSON(200, reply)
}

// paperSubmissions checks where each questionnaire may be entered and builds the
// submissions of the rows without problems, with their lines; a household named twice
// in the file is an error of the second line. Every problem found is added to bad,
// which it returns.
func (s *Server) paperSubmissions(c echo.Context, name string, data []byte, round store.Round,
	def *survey.Definition, rows []paperRow, bad lineErrors) ([]store.Submission, []int, lineErrors, error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	fail := func(line int, format string, args ...any) {
		bad = append(bad, csvfile.LineError{File: name, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
	fileSum := sha256.Sum256(data)
	allowed := map[string]error{}
	homes := map[string]int{}
	subs := make([]store.Submission, 0, len(rows))
	lines := make([]int, 0, len(rows))
	for _, row := range rows {
		for _, problem := range row.Problems {
			fail(row.Line, "%s", problem)
		}
		a, err := s.cache.Area(ctx, row.Area)
		if errors.Is(err, survey.ErrNotFound) {
			if row.Area != "" {
				fail(row.Line, "区域代码 %s 不存在", row.Area)
			}
			continue
		} else if err != nil {
			return nil, nil, nil, err
		}
		if !a.InScope {
			fail(row.Line, "区域 %s 不在本次问卷调查范围内", a.Name)
			continue
		}
		may, checked := allowed[a.Code]
		if !checked {
			may = s.mayEnter(c, p, a)
			allowed[a.Code] = may
		}
		if may != nil {
			if ae := toAPIError(may); ae.Status >= 500 {
				return nil, nil, nil, may
			}
			fail(row.Line, "您无权为区域 %s 录入问卷（不在管辖范围内或未被分派）", row.Area)
			continue
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
		}
		if len(row.Problems) > 0 {
			continue
		}
		answers, err := def.Check(row.Raw)
		if err != nil {
			return nil, nil, nil, err // checked when parsed
		}
		sub := store.Submission{
			ClientID:    uuid.NewSHA1(paperNamespace, fmt.Appendf(nil, "%x\x00%s\x00%d", fileSum, def.ID, row.Line)),
			Round:       round,
			AreaID:      a.ID,
			Channel:     survey.ChannelPaper,
			Answers:     answers,
			Definition:  def,
			ContentHash: survey.Hash(def.ID, a.Code, survey.ChannelPaper, key, answers),
			EnteredBy:   &p.ID,
		}
		if p.TokenID != 0 {
			sub.TokenID = &p.TokenID
		}
		if key != "" {
			sub.Household, sub.HouseholdHash = key, s.householdHash(a.Code, key)
		}
		subs = append(subs, sub)
		lines = append(lines, row.Line)
	}
	return subs, lines, bad, nil
}

// lineErrors gathers the errors of one upload from its several checks.
type lineErrors []csvfile.LineError

// Err returns nil when there is no error, else a *csvfile.ImportError listing them
// by line.
func (l lineErrors) Err() error {
	if len(l) == 0 {
		return nil
	}
	slices.SortStableFunc(l, func(a, b csvfile.LineError) int { return a.Line - b.Line })
	out := &csvfile.ImportError{}
	for _, e := range l {
		out.Add(e.File, e.Line, "%s", e.Reason)
	}
	return out.Err()
}
