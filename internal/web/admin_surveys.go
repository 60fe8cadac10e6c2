package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/surveyfile"
)

// surveysPage lists the surveys with their versions and rounds, the YAML import form
// and, per survey, the form that opens a round or the button that closes it.
type surveysPage struct {
	Flash, Error string
	Lines        []string // file:line: reason of a rejected import
	Surveys      []surveyView
}

type surveyView struct {
	ID, Title string
	Versions  []versionView
	Rounds    []roundView
	Open      *roundView
	// The open-round form, with its error when it came back.
	RoundName, RoundCloses, RoundError string
}

type versionView struct {
	store.SurveyVersion
	Created string
}

type roundView struct {
	store.Round
	Opened, Closes string
	IsOpen         bool
}

// adminSurveys handles GET /admin/surveys.
func (s *Server) adminSurveys(c echo.Context) error {
	return s.renderSurveys(c, http.StatusOK, surveysPage{Flash: flash(c)}, nil)
}

// renderSurveys shows the surveys page; keep, when not nil, is the open-round form of
// one survey as it was sent, with its error.
func (s *Server) renderSurveys(c echo.Context, status int, page surveysPage, keep *surveyView) error {
	ctx := c.Request().Context()
	versions, err := s.store.SurveyVersions(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, v := range versions {
		if n := len(page.Surveys); n == 0 || page.Surveys[n-1].ID != v.SurveyID {
			page.Surveys = append(page.Surveys, surveyView{ID: v.SurveyID, Title: v.Title})
		}
		sv := &page.Surveys[len(page.Surveys)-1]
		sv.Versions = append(sv.Versions, versionView{SurveyVersion: v, Created: s.localTime(v.CreatedAt)})
	}
	for i := range page.Surveys {
		sv := &page.Surveys[i]
		rounds, err := s.store.Rounds(ctx, sv.ID)
		if err != nil {
			return err
		}
		names := make([]string, len(rounds))
		for j, r := range rounds {
			names[j] = r.Name
		}
		sv.RoundName = survey.DefaultRoundName(now.In(s.cfg.Location), names)
		for _, r := range rounds {
			rv := roundView{Round: r, Opened: s.localTime(r.OpenedAt), IsOpen: r.Open(now)}
			if r.ClosesAt != nil {
				rv.Closes = s.localTime(*r.ClosesAt)
			}
			sv.Rounds = append(sv.Rounds, rv)
			if rv.IsOpen && sv.Open == nil {
				sv.Open = &sv.Rounds[len(sv.Rounds)-1]
			}
		}
		if keep != nil && keep.ID == sv.ID {
			sv.RoundName, sv.RoundCloses, sv.RoundError = keep.RoundName, keep.RoundCloses, keep.RoundError
		}
	}
	return s.renderStaff(c, status, "admin_surveys.html", "surveys", "问卷与轮次", page)
}

// adminImportSurvey handles POST /admin/surveys/import: a YAML file upload, stored as
// the survey's next version unless it is identical to one already stored. Nothing is
// stored when the file has errors; each is listed as file:line: reason.
func (s *Server) adminImportSurvey(c echo.Context) error {
	name, f, err := formFile(c, "survey.yaml")
	if errors.Is(err, errNoFile) {
		return s.renderSurveys(c, http.StatusUnprocessableEntity, surveysPage{Error: "请选择要导入的 YAML 文件"}, nil)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, surveyfile.MaxSize+1))
	if err != nil {
		return err
	}
	def, err := surveyfile.Parse(name, data)
	var fe *surveyfile.Error
	if errors.As(err, &fe) {
		page := surveysPage{Error: "文件有错误，未导入。请修改以下各处后重新上传："}
		for _, p := range fe.Problems {
			page.Lines = append(page.Lines, p.String())
		}
		return s.renderSurveys(c, http.StatusUnprocessableEntity, page, nil)
	}
	if err != nil {
		return err
	}
	version, created, err := s.store.ImportSurvey(c.Request().Context(), def, data)
	if err != nil {
		return err
	}
	s.audit(c, principalOf(c), "survey.import", "", def.ID,
		map[string]any{"survey": def.ID, "version": version, "created": created, "file": name})
	key := "survey.same"
	if created {
		key = "survey.new"
	}
	return done(c, "/admin/surveys", key, "v", version)
}

// adminPreview handles GET /admin/surveys/:survey/versions/:version: the version as
// residents would see it, marked 预览, unable to submit.
func (s *Server) adminPreview(c echo.Context) error {
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version < 1 {
		return survey.ErrNotFound
	}
	def, err := s.cache.Definition(c.Request().Context(), c.Param("survey"), version)
	if err != nil {
		return err
	}
	// No Action: the preview template has no form element that could post anywhere.
	return s.render(c, http.StatusOK, "admin_preview.html", &formPage{
		Survey:   def,
		Area:     area.Area{Name: "（社区名称在此显示）"},
		Sections: buildForm(def, nil, nil),
	})
}
