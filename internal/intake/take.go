package intake

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/household"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// Take checks one entry against every rule and stores it, counted or held for review
// with its flags. A nil error means the response is committed, or was already: the
// same client_id with the same content is a replay, answered with the first
// response's id and never counted twice.
//
// A resident (Who nil) answers on channel qr, from the service's own pages (see
// sameSite), with a form token issued to the same device for this survey and area and
// not used for another response; once per device per round; within the per-IP and
// per-form budgets. An entrant enters on channel volunteer or paper, where they may
// (MayEnter), once per household per round, within the per-user budget.
//
// The Result names the round the entry was taken for, also when the entry is refused
// past the channel and its budget: a device that answered the round already is
// refused as survey.ErrDuplicateDevice with that round.
func (in *Intake) Take(ctx context.Context, e Entry) (Result, error) {
	return in.take(ctx, e, false)
}

// take is Take; retry is set on the second attempt made when the round closed under
// the entry.
func (in *Intake) take(ctx context.Context, e Entry, retry bool) (Result, error) {
	now := in.now()
	channel, err := in.channelOf(ctx, e)
	if err != nil {
		return Result{}, err
	}
	// The round is found before the entry's own faults, so that their refusals name
	// it; a survey with no round open is refused after them.
	var res Result
	round, def, roundErr := in.catalog.Fielded(ctx, e.Survey)
	if roundErr == nil {
		res.Round = round.ID
	}
	clientID, err := uuid.Parse(strings.TrimSpace(e.ClientID))
	if err != nil || clientID == uuid.Nil {
		return res, &FieldError{"client_id", "client_id 应为 UUID"}
	}
	home := ""
	if strings.TrimSpace(e.Household) != "" {
		if home, err = household.Key(e.Household); err != nil {
			return res, &FieldError{"household", err.Error()}
		}
	}
	a, err := in.area(ctx, e.Who, e.Area)
	if err != nil {
		return res, err
	}
	if roundErr != nil {
		return Result{}, roundErr
	}
	sub := store.Submission{ClientID: clientID, Round: round, AreaID: a.ID, Channel: channel, Definition: def,
		StartedAt: Plausible(e.StartedAt, now)}
	var issued time.Time
	if e.Who == nil {
		if sub.FormNonce, issued, err = in.checkToken(e.FormToken, def.ID, a.Code, e.Identity, now); err != nil {
			return res, err
		}
	}
	if sub.Answers, err = def.Check(e.Answers); err != nil {
		return res, err
	}
	sub.Encoded = sub.Answers.Encode()
	sub.ContentHash = survey.HashEncoded(def.ID, a.Code, channel, home, sub.Encoded)
	if e.Who == nil {
		if err := in.limit(ctx, "form", def.ID+":"+a.Code, in.limits.PerForm, 1); err != nil {
			return res, err
		}
		// A device answers once per round: the database refuses a second response.
		sub.DeviceHash = e.Identity
		sub.Flags = in.residentFlags(ctx, a.Code, e.ClientIP, issued, now)
	} else if err := in.entrant(ctx, e, a, home, now, &sub); err != nil {
		return res, err
	}
	id, replayed, err := in.writer.Submit(ctx, sub, now)
	if errors.Is(err, survey.ErrNoOpenRound) && !retry {
		// The cached round closed: if another is open now, the response belongs there,
		// checked against the version that round fields.
		in.catalog.ForgetRound(def.ID)
		if next, _, ferr := in.catalog.Fielded(ctx, def.ID); ferr == nil && next.ID != round.ID {
			return in.take(ctx, e, true)
		}
	}
	if err != nil {
		return res, err
	}
	res.ID, res.Replayed = id, replayed
	if !replayed {
		res.Flags = sub.Flags
	}
	return res, nil
}

// channelOf checks who may use which channel and spends the sender's per-minute
// budget: residents answer on qr, from the service's own pages; entrants on volunteer
// (the default) or paper.
func (in *Intake) channelOf(ctx context.Context, e Entry) (survey.Channel, error) {
	channel := e.Channel
	if e.Who == nil {
		if channel != "" && channel != survey.ChannelQR {
			return "", ErrSignInRequired
		}
		if e.Household != "" {
			return "", &FieldError{"household", "扫码自填的问卷不记录住户"}
		}
		if !sameSite(e.Origin, e.Referer, e.BaseURL) {
			return "", ErrCrossSite
		}
		return survey.ChannelQR, in.limit(ctx, "ip", ClientKey(e.ClientIP), in.limits.PerIP, 1)
	}
	if channel == "" {
		channel = survey.ChannelVolunteer
	}
	if channel != survey.ChannelVolunteer && channel != survey.ChannelPaper {
		return "", &FieldError{"channel", "登录后录入的问卷渠道应为 volunteer（入户）或 paper（纸质）"}
	}
	return channel, in.limit(ctx, "user", strconv.FormatInt(e.Who.ID, 10), in.limits.PerUser, 1)
}

// area finds the area an entry is for: it must exist, be in the questionnaire's
// scope and, for an entrant, be one they may enter for.
func (in *Intake) area(ctx context.Context, who *Entrant, code string) (area.Area, error) {
	a, err := in.catalog.Area(ctx, code)
	if err != nil {
		return a, err
	}
	if !a.InScope {
		return a, ErrOutOfScope
	}
	if who != nil {
		if err := in.MayEnter(ctx, who, a); err != nil {
			return a, err
		}
	}
	return a, nil
}

// entrant fills in what an entrant's submission carries: who entered it, when the
// interview ended, the household, and its flags.
func (in *Intake) entrant(ctx context.Context, e Entry, a area.Area, home string, now time.Time, sub *store.Submission) error {
	if e.Who.TokenID != 0 {
		sub.TokenID = &e.Who.TokenID
	}
	sub.EnteredBy = &e.Who.ID
	sub.FinishedAt = Plausible(e.FinishedAt, now)
	if sub.FinishedAt != nil && sub.StartedAt != nil && sub.FinishedAt.Before(*sub.StartedAt) {
		sub.FinishedAt = nil
	}
	if in.entryBursts(ctx, e.Who.ID, 1) > 0 {
		sub.Flags = append(sub.Flags, EntryBurst)
	}
	if home == "" {
		return nil
	}
	sub.Household, sub.HouseholdHash = home, in.householdHash(a.Code, home)
	off, err := in.unlisted(ctx, a.ID, []string{home})
	if err != nil {
		return err
	}
	if off[home] {
		sub.Flags = append(sub.Flags, UnlistedHousehold)
	}
	return nil
}

// householdHash is the keyed hash stored with a response instead of its household:
// without the server's secret it cannot be matched to any household.
func (in *Intake) householdHash(areaCode, key string) string {
	return in.key.Sum("household", areaCode+"\x00"+key)
}

// Plausible keeps a client's time only when it is plausible: in the past day and
// not in the future; nil otherwise.
func Plausible(t *time.Time, now time.Time) *time.Time {
	if t == nil || t.After(now.Add(time.Minute)) || t.Before(now.Add(-24*time.Hour)) {
		return nil
	}
	return t
}
