package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/household"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
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

// submitCounted is submit, recorded in the submissions metric by channel and outcome.
func (s *Server) submitCounted(c echo.Context, sub submission) (submitResult, error) {
	res, err := s.submit(c, sub, false)
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
	case res.Replayed:
		outcome = "replayed"
	}
	s.metrics.Submission(channel, outcome)
	return res, err
}

// submit checks limits, validates and stores one response. A nil error means the
// response is committed (or was already, for a replay). retry is set on the second
// attempt made when the round closed under a submission.
func (s *Server) submit(c echo.Context, sub submission, retry bool) (submitResult, error) {
	ctx := c.Request().Context()
	who := principalOf(c)
	channel := survey.Channel(sub.Channel)
	if who == nil {
		if channel != "" && channel != survey.ChannelQR {
			return submitResult{}, newError(401, "unauthorized", "入户或纸质录入需要登录后提交")
		}
		if sub.Household != "" {
			return submitResult{}, invalidField("household", "扫码自填的问卷不记录住户")
		}
		channel = survey.ChannelQR
		if err := s.limit(ctx, "ip", c.RealIP(), s.cfg.Limits.PerIP); err != nil {
			return submitResult{}, err
		}
	} else {
		if channel == "" {
			channel = survey.ChannelVolunteer
		}
		if !channel.Valid() {
			return submitResult{}, invalidField("channel", "渠道应为 qr、volunteer 或 paper")
		}
		if err := s.limit(ctx, "user", strconv.FormatInt(who.ID, 10), s.cfg.Limits.PerUser); err != nil {
			return submitResult{}, err
		}
	}
	clientID, err := uuid.Parse(strings.TrimSpace(sub.ClientID))
	if err != nil || clientID == uuid.Nil {
		return submitResult{}, invalidField("client_id", "client_id 应为 UUID")
	}
	home := ""
	if strings.TrimSpace(sub.Household) != "" {
		if home, err = household.Key(sub.Household); err != nil {
			return submitResult{}, invalidField("household", err.Error())
		}
	}
	a, err := s.cache.Area(ctx, sub.Area)
	if err != nil {
		return submitResult{}, err
	}
	if !a.InScope {
		return submitResult{}, errOutOfScope
	}
	if who != nil {
		if err := s.mayEnter(c, who, a); err != nil {
			return submitResult{}, err
		}
	}
	round, def, err := s.cache.Fielded(ctx, sub.Survey)
	if err != nil {
		return submitResult{}, err
	}
	answers, err := def.Check(sub.Answers)
	if err != nil {
		return submitResult{}, err
	}
	body := answers.Encode()
	rec := store.Submission{
		ClientID:    clientID,
		Round:       round,
		AreaID:      a.ID,
		Channel:     channel,
		Answers:     answers,
		Encoded:     body,
		Definition:  def,
		ContentHash: survey.HashEncoded(def.ID, a.Code, channel, home, body),
		StartedAt:   sane(sub.StartedAt, s.now()),
	}
	if who != nil {
		if who.TokenID != 0 {
			rec.TokenID = &who.TokenID
		}
		rec.EnteredBy = &who.ID
		rec.FinishedAt = sane(sub.FinishedAt, s.now())
		if rec.FinishedAt != nil && rec.StartedAt != nil && rec.FinishedAt.Before(*rec.StartedAt) {
			rec.FinishedAt = nil
		}
		if home != "" {
			rec.Household, rec.HouseholdHash = home, s.householdHash(a.Code, home)
		}
	} else {
		if err := s.limit(ctx, "form", def.ID+":"+a.Code, s.cfg.Limits.PerForm); err != nil {
			return submitResult{}, err
		}
		// A device answers once per round: the database refuses a second response
		// (duplicate_device), so no rate budget per device is needed on top of the
		// per-IP one.
		rec.DeviceHash = s.deviceHash(s.device(c))
	}
	id, replayed, err := s.writer.Submit(ctx, rec, s.now())
	if who == nil && (err == nil || errors.Is(err, survey.ErrDuplicateDevice)) {
		s.markAnswered(c, round.ID) // the form then opens on the 已参与 page
	}
	if errors.Is(err, survey.ErrNoOpenRound) && !retry {
		// The cached round closed: if another is open now, the response belongs there,
		// checked against the version that round fields.
		s.cache.forgetRound(def.ID)
		if next, _, ferr := s.cache.Fielded(ctx, def.ID); ferr == nil && next.ID != round.ID {
			return s.submit(c, sub, true)
		}
	}
	if err != nil {
		return submitResult{}, err
	}
	return submitResult{ID: id, Replayed: replayed}, nil
}

var errOutOfScope = newError(404, "not_found", "该区域不在本次问卷调查范围内")

func invalidField(field, msg string) *apiError {
	return &apiError{Status: 422, Code: "invalid", Message: "提交内容有误", Fields: map[string]string{field: msg}}
}

// limit spends one unit of the per-minute budget of kind (ip, form or token)
// for key; over budget is a 429 with Retry-After.
func (s *Server) limit(ctx context.Context, kind, key string, perMinute int) error {
	d := s.limiter.Allow(ctx, kind+":"+key, ratelimit.PerMinute(perMinute))
	if d.Allowed {
		return nil
	}
	s.metrics.RateLimited(kind)
	e := newError(http.StatusTooManyRequests, "rate_limited", "提交过于频繁，请稍后再试")
	e.RetryAfter = int(d.RetryAfter.Round(time.Second).Seconds())
	if e.RetryAfter < 1 {
		e.RetryAfter = 1
	}
	return e
}

// sane keeps a client's start time only when it is plausible: in the past day and not
// in the future.
func sane(t *time.Time, now time.Time) *time.Time {
	if t == nil || t.After(now.Add(time.Minute)) || t.Before(now.Add(-24*time.Hour)) {
		return nil
	}
	return t
}
