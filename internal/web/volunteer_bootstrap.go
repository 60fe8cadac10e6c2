package web

import (
	"context"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/household"
	"minyi/internal/store"
)

// bootstrapReply is everything the volunteers' app needs to work offline for an
// evening: where the user may enter answers, the surveys fielded now, the household
// lists, and where each household stands in the current rounds.
type bootstrapReply struct {
	User        meReply                          `json:"user"`
	Today       string                           `json:"today"`
	Assignments []store.Assignment               `json:"assignments"`
	Areas       []bootArea                       `json:"areas"`
	Surveys     []bootSurvey                     `json:"surveys"`
	Households  map[string][]household.Household `json:"households"` // by area code
	// Outcomes says, per survey, area code and household key, where the household
	// stands in the survey's open round.
	Outcomes  map[string]map[string]map[string]household.Outcome `json:"outcomes"`
	Truncated bool                                               `json:"truncated,omitempty"`
}

type bootArea struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Parent    string `json:"parent"`
	Depth     int    `json:"depth"`
	// Example is the first household key of the area's list, to show how the list
	// writes door numbers; empty without a list (and in the bootstrap, which carries
	// the lists themselves).
	Example string `json:"example,omitempty"`
}

type bootSurvey struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Version    int         `json:"version"`
	Round      store.Round `json:"round"`
	Definition string      `json:"definition"` // URL of the definition the round fields
}

// bootstrap handles GET /api/v1/volunteer/bootstrap.
func (s *Server) bootstrap(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	reply := bootstrapReply{
		User:        meReply{p.Username, p.DisplayName, string(p.Role), p.AreaCode, p.AreaName, p.CSRF},
		Today:       s.today().Format(time.DateOnly),
		Assignments: []store.Assignment{},
		Areas:       []bootArea{},
		Surveys:     []bootSurvey{},
		Households:  map[string][]household.Household{},
		Outcomes:    map[string]map[string]map[string]household.Outcome{},
	}
	areas, err := s.enterable(c, &reply)
	if err != nil {
		return err
	}
	ids := make([]int64, len(areas))
	codes := make(map[int64]string, len(areas))
	for i, a := range areas {
		ids[i], codes[a.ID] = a.ID, a.Code
	}
	lists, err := s.store.Households(ctx, ids)
	if err != nil {
		return err
	}
	for id, l := range lists {
		reply.Households[codes[id]] = l
	}
	if reply.Surveys, err = s.fieldedSurveys(ctx); err != nil {
		return err
	}
	for _, sv := range reply.Surveys {
		outcomes, err := s.store.VisitOutcomes(ctx, sv.Round.ID, ids)
		if err != nil {
			return err
		}
		byCode := map[string]map[string]household.Outcome{}
		for id, o := range outcomes {
			byCode[codes[id]] = o
		}
		reply.Outcomes[sv.ID] = byCode
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// fieldedSurveys lists the surveys with an open round, each with the URL of the
// definition that round fields.
func (s *Server) fieldedSurveys(ctx context.Context) ([]bootSurvey, error) {
	surveys, err := s.store.Surveys(ctx, s.now())
	if err != nil {
		return nil, err
	}
	out := []bootSurvey{}
	for _, sv := range surveys {
		if sv.OpenRound == nil {
			continue
		}
		r := *sv.OpenRound
		out = append(out, bootSurvey{sv.ID, sv.Title, r.Version, r,
			"/api/v1/volunteer/surveys/" + sv.ID + "?version=" + strconv.Itoa(r.Version)})
	}
	return out, nil
}

// enterable lists the in-scope areas the user may enter answers for, in tree order:
// the subtrees of a volunteer's assignments valid today, an official's jurisdiction,
// everything for an admin. It fills the reply's assignments and areas.
func (s *Server) enterable(c echo.Context, reply *bootstrapReply) ([]area.Area, error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	var roots []string
	switch p.Role {
	case account.Volunteer:
		list, err := s.store.Assignments(ctx, store.AssignmentFilter{Username: p.Username, Day: s.today(), ValidOnly: true})
		if err != nil {
			return nil, err
		}
		reply.Assignments = append(reply.Assignments, list...)
		for _, a := range list {
			roots = append(roots, a.AreaCode)
		}
	case account.Official:
		roots = []string{p.AreaCode}
	default:
		roots = []string{""}
	}
	seen := map[string]bool{}
	var all []area.Area
	for _, code := range roots {
		sub, err := s.store.Subtree(ctx, code)
		if err != nil {
			return nil, err
		}
		for _, a := range sub {
			if !seen[a.Code] && a.InScope {
				seen[a.Code] = true
				all = append(all, a)
			}
		}
	}
	all = treeOrder(all)
	if len(all) > maxAreaOptions {
		all, reply.Truncated = all[:maxAreaOptions], true
	}
	depth := map[string]int{}
	for _, a := range all {
		d, ok := depth[a.ParentCode]
		if ok {
			d++
		}
		depth[a.Code] = d
		reply.Areas = append(reply.Areas, bootArea{Code: a.Code, Name: a.Name, Kind: a.Kind, KindLabel: a.KindLabel(), Parent: a.ParentCode, Depth: d})
	}
	return all, nil
}
