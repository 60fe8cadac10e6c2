package web

import (
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/household"
	"minyi/internal/survey"
)

// csvTemplate sends an empty CSV file with its header, in UTF-8 with a BOM so that
// Excel opens it as UTF-8 and keeps it so when saved.
func csvTemplate(c echo.Context, name, ascii string, header []string) error {
	attachment(c, name, ascii)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(200, "text/csv; charset=utf-8", []byte("\ufeff"+strings.Join(header, ",")+"\r\n"))
}

// paperHeader is the header of a paper CSV file of a survey: area_code, household,
// then one column per question.
func paperHeader(def *survey.Definition) []string {
	cols := append([]string{}, paperColumns...)
	for _, q := range def.Questions {
		cols = append(cols, q.ID)
	}
	return cols
}

// paperTemplate handles GET /api/v1/paper/template.csv?survey=S: the CSV file to fill
// with paper questionnaires of the survey's open round.
func (s *Server) paperTemplate(c echo.Context) error {
	_, def, err := s.cache.Fielded(c.Request().Context(), c.QueryParam("survey"))
	if err != nil {
		return err
	}
	return csvTemplate(c, "纸质问卷导入模板_"+def.Title+".csv", "paper-"+def.ID+".csv", paperHeader(def))
}

// householdTemplate handles GET /api/v1/households/template.csv: the CSV file to fill
// with a household list.
func (s *Server) householdTemplate(c echo.Context) error {
	return csvTemplate(c, "住户名单导入模板.csv", "households.csv", household.Header)
}
