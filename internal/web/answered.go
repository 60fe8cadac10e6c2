package web

import (
	"crypto/hmac"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/intake"
	"minyi/internal/survey"
)

// answeredCookie remembers on a resident's phone the rounds it has answered, so that
// the form opens on the 已参与 page rather than as a blank form the server would refuse
// after the last question. It is a convenience only: the database still refuses a
// second response from one device.
const answeredCookie = "minyi_answered"

// answeredKept is how many rounds the cookie remembers, newest last.
const answeredKept = 8

// answeredRounds returns the rounds the request's cookie says were answered; nothing
// when the cookie is missing or does not verify.
func (s *Server) answeredRounds(c echo.Context) []int64 {
	ck, err := c.Cookie(answeredCookie)
	if err != nil {
		return nil
	}
	list, sig, ok := strings.Cut(ck.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.sign("answered", list))) {
		return nil
	}
	var out []int64
	for _, f := range strings.Split(list, "-") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// answered reports whether the request's phone has answered round.
func (s *Server) answered(c echo.Context, round int64) bool {
	return slices.Contains(s.answeredRounds(c), round)
}

// markAnswered adds round to the phone's answered rounds.
func (s *Server) markAnswered(c echo.Context, round int64) {
	ids := s.answeredRounds(c)
	if slices.Contains(ids, round) {
		return
	}
	ids = append(ids, round)
	if len(ids) > answeredKept {
		ids = ids[len(ids)-answeredKept:]
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	list := strings.Join(parts, "-")
	c.SetCookie(s.cookie(answeredCookie, list+"."+s.sign("answered", list), 400*24*time.Hour))
}

// answeredAgain is the error a resident's submission without a form token, refused
// when taken for round, reports: a phone whose cookie says it answered that round was
// shown the 已参与 page, not a form, so what it posts lacks a token; it is told it has
// already taken part (duplicate_device), not that the form was incomplete or too old.
// Other errors (limits, an unavailable database) are left as they are, and a reused
// token is still refused as form_token by the caller.
func (s *Server) answeredAgain(c echo.Context, round int64, err error) error {
	var ve *survey.ValidationError
	var fe *intake.FieldError
	if !errors.As(err, &ve) && !errors.As(err, &fe) && !errors.Is(err, intake.ErrFormToken) {
		return err
	}
	if round == 0 || !s.answered(c, round) {
		return err
	}
	return survey.ErrDuplicateDevice
}
