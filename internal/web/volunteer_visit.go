package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/household"
	"minyi/internal/intake"
	"minyi/internal/store"
)

// visitInput is a visit that ended without answers, as the app sends it.
type visitInput struct {
	ClientID  string     `json:"client_id"`
	Survey    string     `json:"survey"`
	Area      string     `json:"area"`
	Household string     `json:"household"`
	Outcome   string     `json:"outcome"`
	VisitedAt *time.Time `json:"visited_at"`
}

type visitResult struct {
	ClientID uuid.UUID `json:"client_id"`
	Replayed bool      `json:"replayed"`
}

// recordVisit handles POST /api/v1/visits: a household refused, was not at home, or
// is to be visited again. Like responses, a retry with the same client_id and content
// is a replay (200) and other content under that id a conflict (409).
func (s *Server) recordVisit(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	var in visitInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	if err := s.limit(ctx, "user", strconv.FormatInt(p.ID, 10), s.cfg.Limits.PerUser); err != nil {
		return err
	}
	clientID, err := uuid.Parse(strings.TrimSpace(in.ClientID))
	if err != nil || clientID == uuid.Nil {
		return invalidField("client_id", "client_id 应为 UUID")
	}
	a, err := s.cache.Area(ctx, in.Area)
	if err != nil {
		return err
	}
	if !a.InScope {
		return errOutOfScope
	}
	if err := s.intake.MayEnter(ctx, p.entrant(), a); err != nil {
		return err
	}
	outcome := household.Outcome(in.Outcome)
	switch {
	case outcome == household.Completed:
		return invalidField("outcome", "已完成的入户请提交问卷")
	case !outcome.Valid():
		return invalidField("outcome", "入户结果应为 refused、not_home 或 revisit")
	}
	key, err := household.Key(in.Household)
	if err != nil {
		return invalidField("household", err.Error())
	}
	round, def, err := s.cache.Fielded(ctx, in.Survey)
	if err != nil {
		return err
	}
	at := intake.Plausible(in.VisitedAt, s.now())
	replayed, err := s.store.RecordVisit(ctx, store.Visit{
		ClientID: clientID, ContentHash: visitHash(def.ID, a.Code, key, outcome),
		Round: round, AreaID: a.ID, Household: key, UserID: p.ID, Outcome: outcome, At: at,
	}, s.now())
	if err != nil {
		return err
	}
	return replyStored(c, replayed, visitResult{clientID, replayed})
}

// visitHash is a digest of what a visit says, to tell a replay from a reuse of its
// client_id for another visit.
func visitHash(surveyID, areaCode, key string, o household.Outcome) string {
	h := sha256.New()
	fmt.Fprintf(h, "visit\x00%s\x00%s\x00%s\x00%s", surveyID, areaCode, key, o)
	return hex.EncodeToString(h.Sum(nil))
}
