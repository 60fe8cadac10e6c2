package web

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/intake"
	"minyi/internal/ratelimit"
	"minyi/internal/survey"
)

// submission is a response as a client sends it, from JSON or from the plain form.
type submission struct {
	Survey    string           `json:"survey"`
	Area      string           `json:"area"`
	ClientID  string           `json:"client_id"`
	Answers   survey.Submitted `json:"answers"`
	StartedAt *time.Time       `json:"started_at"`
	Channel   string           `json:"channel"`
	// Household names the household a door-to-door or paper entry answers for; one
	// completed response per household per round. Residents never send it.
	Household string `json:"household"`
	// FinishedAt is when the interview ended on the device, which may be long before
	// an entry queued offline is sent.
	FinishedAt *time.Time `json:"finished_at"`
	// FormToken is the token of the form page a resident answers on.
	FormToken string `json:"form_token"`
}

type submitResult struct {
	ID       uuid.UUID `json:"id"`
	Replayed bool      `json:"replayed"`
}

// submitJSON handles POST /api/v1/responses.
func (s *Server) submitJSON(c echo.Context) error {
	var sub submission
	if err := bindBody(c, &sub); err != nil {
		return err
	}
	res, err := s.submitCounted(c, sub)
	if err != nil {
		return err
	}
	return replyStored(c, res.Replayed, res)
}

// submitCounted takes one response in, recorded in the submissions metric by channel
// and outcome. Whether it was counted or held for review is never said: the reply to
// a flagged response is the reply to a counted one.
func (s *Server) submitCounted(c echo.Context, sub submission) (submitResult, error) {
	res, err := s.intake.Take(c.Request().Context(), s.entry(c, sub))
	if principalOf(c) == nil && err != nil && sub.FormToken == "" {
		err = s.answeredAgain(c, res.Round, err)
	}
	if principalOf(c) == nil && res.Round != 0 && (err == nil || errors.Is(err, survey.ErrDuplicateDevice)) {
		// The form then opens on the 已参与 page.
		s.markAnswered(c, res.Round)
	}
	channel := sub.Channel
	switch {
	case principalOf(c) == nil:
		channel = string(survey.ChannelQR)
	case channel == "":
		channel = string(survey.ChannelVolunteer)
	case !survey.Channel(channel).Valid():
		channel = "invalid"
	}
	outcome := "created"
	switch {
	case err != nil:
		outcome = toAPIError(err).Code
		var le *intake.LimitError
		if errors.As(err, &le) {
			s.metrics.RateLimited(le.Kind)
		}
	case res.Replayed:
		outcome = "replayed"
	case len(res.Flags) > 0:
		outcome = "pending"
	}
	s.metrics.Submission(channel, outcome)
	return submitResult{ID: res.ID, Replayed: res.Replayed}, err
}

// clientKey is what per-client limits count for the request's client: its IPv4
// address or IPv6 /64.
func clientKey(c echo.Context) string {
	ip, _ := netip.ParseAddr(c.RealIP())
	return intake.ClientKey(ip)
}

// entry is what the intake needs to know of a submission and its request.
func (s *Server) entry(c echo.Context, sub submission) intake.Entry {
	e := intake.Entry{Survey: sub.Survey, Area: sub.Area, ClientID: sub.ClientID, Answers: sub.Answers,
		Channel: survey.Channel(sub.Channel), Household: sub.Household, StartedAt: sub.StartedAt, FinishedAt: sub.FinishedAt}
	if p := principalOf(c); p != nil {
		e.Who = p.entrant()
		return e
	}
	req := c.Request()
	e.Identity = s.residentIdentity(c)
	e.FormToken = sub.FormToken
	e.ClientIP, _ = netip.ParseAddr(c.RealIP())
	e.Origin, e.Referer, e.BaseURL = req.Header.Get("Origin"), req.Header.Get("Referer"), s.cfg.BaseURL
	return e
}

var errOutOfScope = newError(404, "not_found", "该区域不在本次问卷调查范围内")

func invalidField(field, msg string) *apiError {
	return &apiError{Status: 422, Code: "invalid", Message: "提交内容有误", Fields: map[string]string{field: msg}}
}

// limit spends one unit of the per-minute budget of kind (e.g. login) for key; over
// budget is a 429 with Retry-After.
func (s *Server) limit(ctx context.Context, kind, key string, perMinute int) error {
	d := s.limiter.Allow(ctx, kind+":"+key, ratelimit.PerMinute(perMinute))
	if d.Allowed {
		return nil
	}
	s.metrics.RateLimited(kind)
	return rateLimited(d.RetryAfter)
}

// rateLimited is the 429 for a budget that allows the next request after wait.
func rateLimited(wait time.Duration) *apiError {
	e := newError(http.StatusTooManyRequests, "rate_limited", "提交过于频繁，请稍后再试")
	e.RetryAfter = max(int(wait.Round(time.Second).Seconds()), 1)
	return e
}
