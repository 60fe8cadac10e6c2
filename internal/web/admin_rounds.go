package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi/internal/survey"
)

var (
	errRoundOpen    = errors.New("该问卷已有进行中的轮次，请先结束本轮再开启新一轮")
	errRoundName    = errors.New("轮次名称最多 40 个字，且不能含有换行等控制字符")
	errRoundCloses  = errors.New("结束时间格式有误，或早于当前时间")
	errNoRoundOpen  = errors.New("该问卷当前没有进行中的轮次")
	errNotConfirmed = errors.New("请勾选“确认结束”后再结束本轮")
)

// closesLayout is how a datetime-local field sends a time, read in the service's zone.
const closesLayout = "2006-01-02T15:04"

// adminOpenRound handles POST /admin/surveys/:survey/rounds: a new round of the
// survey's latest version, named (by default after the month and half) and with an
// optional closing time.
func (s *Server) adminOpenRound(c echo.Context) error {
	ctx := c.Request().Context()
	surveyID := c.Param("survey")
	if _, err := s.cache.Definition(ctx, surveyID, 0); err != nil {
		return err
	}
	now := s.now()
	keep := &surveyView{ID: surveyID, RoundName: formValue(c, "name"), RoundCloses: formValue(c, "closes")}
	fail := func(err error) error {
		keep.RoundError = err.Error()
		return s.renderSurveys(c, http.StatusUnprocessableEntity, surveysPage{Error: err.Error()}, keep)
	}
	name := keep.RoundName
	if name == "" {
		var err error
		if name, err = s.defaultRoundName(ctx, surveyID, now); err != nil {
			return err
		}
	}
	if utf8.RuneCountInString(name) > 40 || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fail(errRoundName)
	}
	var closes *time.Time
	if keep.RoundCloses != "" {
		t, err := time.ParseInLocation(closesLayout, keep.RoundCloses, s.cfg.Location)
		if err != nil || !t.After(now) {
			return fail(errRoundCloses)
		}
		closes = &t
	}
	r, err := s.store.StartRound(ctx, surveyID, name, closes, now)
	if errors.Is(err, survey.ErrConflict) {
		return fail(errRoundOpen)
	}
	if err != nil {
		return err
	}
	s.cache.ForgetRound(surveyID)
	detail := map[string]any{"round": r.ID, "name": r.Name, "version": r.Version}
	if closes != nil {
		detail["closes"] = closes.Format(time.RFC3339)
	}
	s.audit(c, principalOf(c), "round.open", "", surveyID, detail)
	return done(c, "/admin/surveys", "round.open")
}

// defaultRoundName names a new round of the survey opened at now: after the month and
// the rounds of the month already named so (survey.DefaultRoundName).
func (s *Server) defaultRoundName(ctx context.Context, surveyID string, now time.Time) (string, error) {
	names, err := s.store.RoundNames(ctx, surveyID)
	if err != nil {
		return "", err
	}
	return survey.DefaultRoundName(now.In(s.cfg.Location), names), nil
}

// adminCloseRound handles POST /admin/surveys/:survey/rounds/close: the open round
// of the survey closes now, when the form confirms it (confirm=1).
func (s *Server) adminCloseRound(c echo.Context) error {
	surveyID := c.Param("survey")
	if _, err := s.cache.Definition(c.Request().Context(), surveyID, 0); err != nil {
		return err
	}
	if formValue(c, "confirm") != "1" {
		return s.renderSurveys(c, http.StatusUnprocessableEntity, surveysPage{Error: errNotConfirmed.Error()}, nil)
	}
	r, err := s.store.CloseRound(c.Request().Context(), surveyID, s.now())
	if errors.Is(err, survey.ErrNoOpenRound) {
		return s.renderSurveys(c, http.StatusUnprocessableEntity, surveysPage{Error: errNoRoundOpen.Error()}, nil)
	}
	if err != nil {
		return err
	}
	s.cache.ForgetRound(surveyID)
	s.audit(c, principalOf(c), "round.close", "", surveyID, map[string]any{"round": r.ID, "name": r.Name, "version": r.Version})
	return done(c, "/admin/surveys", "round.close")
}
