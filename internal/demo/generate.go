package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// Options says what demo responses to generate.
type Options struct {
	Survey string
	N      int   // responses in all, split between the open and the previous round
	Seed   int64 // the same seed gives the same responses
	Now    time.Time
	Loc    *time.Location // where days are counted, for the name of a created round
}

// Report says what Responses did.
type Report struct {
	Stored   int // responses stored now
	Replayed int // responses a previous run with the same seed already stored
	Open     store.Round
	Previous store.Round
	Created  bool // whether the previous round was created for the demo
}

// previousShare is the part of the responses that goes to the previous round.
const previousShare = 0.4

// previousLength is how long a previous round created for the demo lasts.
const previousLength = 14 * 24 * time.Hour

// Responses stores opts.N generated responses, flagged demo, across the in-scope
// communities and villages of the tree: about 60% through QR codes, 30% door to
// door and 10% from paper, with rates that differ by community (some clearly below
// target, a few with too few responses to rank), spread over the open round and the
// closed round before it. Without a closed round, one is created that ends before
// the open one started. Every answer passes the survey's own validation. The same
// seed gives the same responses, so running it again with one seed stores nothing
// new. Returns survey.ErrNoOpenRound when the survey has no open round.
func Responses(ctx context.Context, st *store.Store, opts Options) (Report, error) {
	var rep Report
	if opts.N <= 0 {
		return rep, errors.New("the number of responses must be positive")
	}
	open, err := st.OpenRound(ctx, opts.Survey, opts.Now)
	if err != nil {
		return rep, err
	}
	rep.Open = open
	if rep.Previous, rep.Created, err = previousRound(ctx, st, open, opts); err != nil {
		return rep, err
	}
	all, err := st.Subtree(ctx, "")
	if err != nil {
		return rep, err
	}
	units := slices.DeleteFunc(all, func(a area.Area) bool { return !a.IsCommunity() || !a.InScope })
	if len(units) == 0 {
		return rep, errors.New("the area tree has no in-scope community or village")
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x6d696e7969))
	profiles := newProfiles(rng, units)
	prevN := int(float64(opts.N) * previousShare)
	var planned []planned
	for _, part := range []struct {
		round store.Round
		n     int
		lift  float64 // how much better the round goes than the profile
	}{
		{rep.Previous, prevN, 0},
		{open, opts.N - prevN, 0.04},
	} {
		def, err := st.Definition(ctx, opts.Survey, part.round.Version)
		if err != nil {
			return rep, err
		}
		end := opts.Now
		if part.round.ClosesAt != nil && part.round.ClosesAt.Before(end) {
			end = *part.round.ClosesAt
		}
		p, err := plan(rng, def, part.round, profiles, part.n, part.lift, part.round.OpenedAt, end, opts.Loc)
		if err != nil {
			return rep, err
		}
		planned = append(planned, p...)
	}
	for _, batch := range batches(planned, opts.Loc) {
		subs := make([]store.Submission, len(batch))
		for i, p := range batch {
			subs[i] = p.sub
		}
		for _, out := range st.SubmitBatch(ctx, subs, batch[len(batch)-1].at) {
			switch {
			case out.Err != nil:
				return rep, out.Err
			case out.Replayed:
				rep.Replayed++
			default:
				rep.Stored++
			}
		}
	}
	_, err = st.Fold(ctx)
	return rep, err
}

// previousRound finds the latest round of the survey that closed before the open one
// opened, or creates one that ends a minute before.
func previousRound(ctx context.Context, st *store.Store, open store.Round, opts Options) (store.Round, bool, error) {
	rounds, err := st.Rounds(ctx, opts.Survey)
	if err != nil {
		return store.Round{}, false, err
	}
	for _, r := range rounds { // newest first
		if r.ID != open.ID && r.ClosesAt != nil && !r.ClosesAt.After(open.OpenedAt) {
			return r, false, nil
		}
	}
	closes := open.OpenedAt.Add(-time.Minute)
	opened := closes.Add(-previousLength)
	name := survey.DefaultRoundName(opened.In(opts.Loc), nil)
	if name == open.Name {
		name += "（上期）"
	}
	r, err := st.InsertPastRound(ctx, opts.Survey, open.VersionID, name, opened, closes, opts.Now)
	return r, err == nil, err
}

// planned is one generated response and when it is submitted.
type planned struct {
	at  time.Time
	sub store.Submission
}

// batches groups the responses, in time order, into batches of one round and one
// local hour (and at most 500): a batch is stored with one submission time, its last.
func batches(ps []planned, loc *time.Location) [][]planned {
	slices.SortStableFunc(ps, func(a, b planned) int { return a.at.Compare(b.at) })
	same := func(a, b planned) bool {
		return a.sub.Round.ID == b.sub.Round.ID && a.at.In(loc).Truncate(time.Hour).Equal(b.at.In(loc).Truncate(time.Hour))
	}
	var out [][]planned
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && j-i < 500 && same(ps[i], ps[j]) {
			j++
		}
		out = append(out, ps[i:j])
		i = j
	}
	return out
}

// plan generates n responses to def in round, spread over [start, end).
func plan(rng *rand.Rand, def *survey.Definition, round store.Round, profiles []profile, n int, lift float64, start, end time.Time, loc *time.Location) ([]planned, error) {
	counts := allocate(rng, profiles, n)
	out := make([]planned, 0, n)
	for i, pr := range profiles {
		for range counts[i] {
			channel := pickChannel(rng)
			raw := answers(rng, def, pr, lift, channel)
			normalized, err := def.Check(raw)
			if err != nil {
				var ve *survey.ValidationError
				if errors.As(err, &ve) {
					return nil, fmt.Errorf("demo answers fail validation: %v", ve.Fields)
				}
				return nil, err
			}
			at := when(rng, start, end, channel, loc)
			began := at.Add(-time.Duration(120+rng.IntN(300)) * time.Second)
			out = append(out, planned{at: at, sub: store.Submission{
				ClientID:    clientID(rng),
				Round:       round,
				AreaID:      pr.area.ID,
				Channel:     channel,
				Answers:     normalized,
				Definition:  def,
				ContentHash: survey.Hash(def.ID, pr.area.Code, channel, "", normalized),
				StartedAt:   &began,
				Demo:        true,
			}})
		}
	}
	return out, nil
}

// allocate splits n responses between the communities: the few small ones get fewer
// than 30 each, the others shares by their weight.
func allocate(rng *rand.Rand, profiles []profile, n int) []int {
	counts := make([]int, len(profiles))
	rest := n
	var weight float64
	for i, p := range profiles {
		if p.small {
			counts[i] = min(rest, 6+rng.IntN(16))
			rest -= counts[i]
		} else {
			weight += p.weight
		}
	}
	given := 0
	var last int
	for i, p := range profiles {
		if !p.small {
			counts[i] = int(float64(rest) * p.weight / weight)
			given += counts[i]
			last = i
		}
	}
	if weight > 0 {
		counts[last] += rest - given
	}
	return counts
}

// clientID is a random (version 4) UUID drawn from rng, so that a seed always gives
// the same ids.
func clientID(rng *rand.Rand) uuid.UUID {
	var id uuid.UUID
	for i := 0; i < 16; i += 8 {
		v := rng.Uint64()
		for k := range 8 {
			id[i+k] = byte(v >> (8 * k))
		}
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

// pickChannel draws a channel: about 60% QR, 30% door to door, 10% paper.
func pickChannel(rng *rand.Rand) survey.Channel {
	switch x := rng.Float64(); {
	case x < 0.6:
		return survey.ChannelQR
	case x < 0.9:
		return survey.ChannelVolunteer
	}
	return survey.ChannelPaper
}

// when draws a submission time in [start, end): a random day, and an hour that fits
// the channel — evenings for door-to-door visits, office hours for paper entry.
func when(rng *rand.Rand, start, end time.Time, channel survey.Channel, loc *time.Location) time.Time {
	span := end.Sub(start)
	if span <= 0 {
		return start
	}
	t := start.Add(time.Duration(rng.Int64N(int64(span))))
	if span < 48*time.Hour {
		return t
	}
	from, hours := 8, 14 // 8:00–22:00 for residents scanning a poster
	switch channel {
	case survey.ChannelVolunteer:
		from, hours = 18, 3
	case survey.ChannelPaper:
		from, hours = 9, 8
	}
	y, m, d := t.In(loc).Date()
	at := time.Date(y, m, d, from+rng.IntN(hours), rng.IntN(60), rng.IntN(60), 0, loc)
	if at.Before(start) || !at.Before(end) {
		return t
	}
	return at
}
