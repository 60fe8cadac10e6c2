package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// formPage is what the resident form template shows.
type formPage struct {
	Survey   *survey.Definition
	Area     area.Area
	Round    store.Round
	Action   string
	ClientID string
	Started  string
	Token    string // the form token of this view (intake.FormToken)
	Sections []formSection
	// SectionsMark, when set, is rendered where the questions go (the form cache
	// renders them apart).
	SectionsMark string
	Errors       map[string]string
	Message      string
	// Problems lists the questions a failed plain POST got wrong, in order, for the
	// summary at the top of the page.
	Problems []formQuestion
}

type formSection struct {
	Title     string
	Questions []formQuestion
}

type formQuestion struct {
	*survey.Question
	Number int
	Value  string          // text answer
	Chosen map[string]bool // chosen option ids
	Error  string
	// Condition says, for pages read without JavaScript, when a show_if question applies.
	Condition string
	// Focus marks the first question with an error: its first input has autofocus, so
	// that a page read without JavaScript opens on it.
	Focus bool
}

// buildForm lays out the questions in sections, filled with earlier answers and
// their errors when the form comes back after a failed plain POST.
func buildForm(def *survey.Definition, values map[string]any, errs map[string]string) []formSection {
	var out []formSection
	for i := range def.Questions {
		q := &def.Questions[i]
		if len(out) == 0 || (q.Section != "" && q.Section != out[len(out)-1].Title) {
			out = append(out, formSection{Title: q.Section})
		}
		fq := formQuestion{Question: q, Number: i + 1, Chosen: map[string]bool{}, Error: errs[q.ID],
			Condition: condition(def, q)}
		vals, _ := strings1(values[q.ID])
		for _, v := range vals {
			fq.Chosen[v] = true
		}
		if q.Type == survey.Text && len(vals) > 0 {
			fq.Value = vals[0]
		}
		sec := &out[len(out)-1]
		sec.Questions = append(sec.Questions, fq)
	}
	for i := range out {
		for j := range out[i].Questions {
			if out[i].Questions[j].Error != "" {
				out[i].Questions[j].Focus = true
				return out
			}
		}
	}
	return out
}

// problems lists the questions of sections that have an error, in order.
func problems(sections []formSection) []formQuestion {
	var out []formQuestion
	for _, sec := range sections {
		for _, q := range sec.Questions {
			if q.Error != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

func strings1(v any) ([]string, bool) {
	switch t := v.(type) {
	case string:
		return []string{t}, true
	case []string:
		return t, true
	}
	return nil, false
}

// form handles GET /s/:survey/:area, the page a QR poster opens.
func (s *Server) form(c echo.Context) error {
	page, err := s.formPage(c)
	if err != nil {
		return err
	}
	if s.answered(c, page.Round.ID) {
		return s.alreadyAnswered(c, page)
	}
	if to := s.wechatAuthorize(c); to != "" {
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusFound, to)
	}
	page.Token = s.intake.FormToken(page.Survey.ID, page.Area.Code, s.residentIdentity(c))
	gz := strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip")
	html, err := s.forms.page(page, gz, func(name string, p *formPage) ([]byte, error) {
		if name == "form-sections" {
			p.Sections = buildForm(p.Survey, nil, nil) // only when the questions are not cached yet
		}
		return s.renderBytes(name, p)
	})
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Encoding")
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	return c.HTMLBlob(200, html)
}

// formPage is the form of the request's survey and area for a new view; its Sections
// are left for the caller to build, only when it renders them.
func (s *Server) formPage(c echo.Context) (*formPage, error) {
	ctx := c.Request().Context()
	a, err := s.cache.Area(ctx, c.Param("area"))
	if err != nil {
		return nil, err
	}
	if !a.InScope {
		return nil, errOutOfScope
	}
	round, def, err := s.cache.Fielded(ctx, c.Param("survey"))
	if err != nil {
		return nil, err
	}
	return &formPage{
		Survey:   def,
		Area:     a,
		Round:    round,
		Action:   "/s/" + url.PathEscape(def.ID) + "/" + url.PathEscape(a.Code),
		ClientID: uuid.NewString(),
		Started:  s.now().UTC().Format(time.RFC3339),
	}, nil
}

// formPost handles the form submitted without JavaScript: success redirects to the
// thank-you page; invalid answers bring the form back with messages and the answers
// kept.
func (s *Server) formPost(c echo.Context) error {
	page, err := s.formPage(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
		return err
	}
	if err != nil {
		return newError(400, "bad_request", "提交内容有误")
	}
	sub := submission{Survey: page.Survey.ID, Area: page.Area.Code, ClientID: form.Get("client_id"),
		FormToken: form.Get("form_token"), Answers: survey.Submitted{}}
	if t, err := time.Parse(time.RFC3339, form.Get("started_at")); err == nil {
		sub.StartedAt = &t
	}
	for _, q := range page.Survey.Questions {
		if vals := form[q.ID]; len(vals) > 0 {
			if q.Type == survey.Multi {
				sub.Answers[q.ID] = vals
			} else {
				sub.Answers[q.ID] = vals[0]
			}
		}
	}
	_, err = s.submitCounted(c, sub)
	var ve *survey.ValidationError
	if errors.As(err, &ve) {
		// Nothing was stored, so the token is still good for this form.
		page.ClientID, page.Started, page.Token = sub.ClientID, form.Get("started_at"), sub.FormToken
		page.Sections = buildForm(page.Survey, sub.Answers, ve.Fields)
		page.Errors = ve.Fields
		page.Problems = problems(page.Sections)
		page.Message = "有 " + strconv.Itoa(len(ve.Fields)) + " 道题未填写或填写有误，请检查标红的题目"
		return s.render(c, 422, "form.html", page)
	}
	if err != nil {
		return err
	}
	return c.Redirect(303, page.Action+"/thanks")
}

// thanks handles GET /s/:survey/:area/thanks.
func (s *Server) thanks(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := s.cache.Definition(ctx, c.Param("survey"), 0); err != nil {
		return err
	}
	a, err := s.cache.Area(ctx, c.Param("area"))
	if err != nil {
		return err
	}
	// Never kept: Back from here reloads the form, which then opens on 已参与.
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, 200, "notice.html", noticePage{
		Title:   "提交成功",
		Message: "感谢您参与" + a.Name + "的问卷调查！您的意见对我们很重要。",
		Done:    true,
		Link:    "/p/" + c.Param("survey") + "/" + a.Code,
	})
}

// alreadyAnswered is the page a phone that answered the open round sees instead of
// the form.
func (s *Server) alreadyAnswered(c echo.Context, page *formPage) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, 200, "notice.html", noticePage{
		Title:   "您已参与",
		Message: "您已参与过" + page.Area.Name + "本轮（" + page.Round.Name + "）的问卷调查，感谢您的支持！每部手机每轮填写一次。",
		Done:    true,
	})
}

// noticePage is a short page with one message: thanks, or what went wrong.
type noticePage struct {
	Title   string
	Message string
	Done    bool
	Link    string // the 问效 page of the area, on the thank-you page
}

// condition describes a show_if rule in words, e.g. 第26题选择“希望回访”时填写.
func condition(def *survey.Definition, q *survey.Question) string {
	if q.ShowIf == nil {
		return ""
	}
	var texts []string
	num := 0
	for i := range def.Questions {
		if def.Questions[i].ID != q.ShowIf.Question {
			continue
		}
		num = i + 1
		for _, id := range q.ShowIf.In {
			if o, ok := def.Questions[i].Option(id); ok {
				texts = append(texts, "“"+o.Text+"”")
			}
		}
	}
	return "第" + strconv.Itoa(num) + "题选择" + strings.Join(texts, "或") + "时填写"
}
