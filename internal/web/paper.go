package web

import (
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/intake"
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
	areas, err := s.enterable(c, &reply)
	if err != nil {
		return err
	}
	ids := make([]int64, len(areas))
	for i, a := range areas {
		ids[i] = a.ID
	}
	examples, err := s.store.HouseholdExamples(ctx, ids)
	if err != nil {
		return err
	}
	for i, a := range areas {
		reply.Areas[i].Example = examples[a.ID]
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

// importPaper handles POST /api/v1/paper/import?survey=S: a CSV file of paper
// questionnaires, as the "file" field of a multipart form or as the body. Every line
// is checked first, then all are stored in one transaction, or none (see
// intake.TakePaper); a refused file is one reply listing every bad line by number,
// whatever is wrong with it.
func (s *Server) importPaper(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
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
	rows, unread, err := parsePaperCSV(name, data, def)
	if err != nil {
		return err
	}
	rep, err := s.intake.TakePaper(ctx, p.entrant(), intake.PaperFile{Name: name, Sum: sha256.Sum256(data), Round: round, Def: def,
		Rows: rows, ReadErrors: unread})
	var le *intake.LimitError
	if errors.As(err, &le) {
		s.metrics.RateLimited(le.Kind)
	}
	if err != nil {
		return err
	}
	s.audit(c, p, "paper.import", p.AreaCode, name,
		map[string]any{"survey": def.ID, "round": round.ID, "created": rep.Created, "replayed": rep.Replayed, "pending": rep.Pending})
	return c.JSON(200, importReply{Created: rep.Created, Replayed: rep.Replayed})
}
