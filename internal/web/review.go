package web

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// reviewFlags names, in Chinese, why a response is held for review, in the order the
// review page lists them.
var reviewFlags = []struct{ ID, Label string }{
	{"too_fast", "用时过短"},
	{"net_burst", "同一网络集中提交"},
	{"entry_burst", "录入过于集中"},
	{"unlisted_household", "住户不在名册"},
}

// flagLabel is the Chinese name of a flag, or the flag itself when unknown.
func flagLabel(flag string) string {
	for _, f := range reviewFlags {
		if f.ID == flag {
			return f.Label
		}
	}
	return flag
}

// Review lists are paged: reviewLimit items unless asked for fewer, at most reviewMaxLimit.
const (
	reviewLimit    = 100
	reviewMaxLimit = 500
	reviewMaxIDs   = 1000 // the most responses one decision names
	reviewReason   = 200  // the longest reason, in characters
)

type reviewItem struct {
	ID          uuid.UUID `json:"id"`
	Area        string    `json:"area"`
	AreaName    string    `json:"area_name"`
	Channel     string    `json:"channel"`
	SubmittedAt time.Time `json:"submitted_at"`
	Flags       []string  `json:"flags"`
}

type reviewGroup struct {
	Area     string `json:"area"`
	AreaName string `json:"area_name"`
	Flag     string `json:"flag"`
	Label    string `json:"label"`
	Pending  int    `json:"pending"`
}

type reviewReply struct {
	Pending int           `json:"pending"`
	Offset  int           `json:"offset"`
	Limit   int           `json:"limit"`
	Items   []reviewItem  `json:"items"`
	Groups  []reviewGroup `json:"groups"`
}

// reviewScope reads survey, area, round and flag: the survey must exist, the area
// lie in the caller's jurisdiction (default: all of it) and the round belong to the
// survey. With needSurvey false the survey may be absent.
func (s *Server) reviewScope(c echo.Context, surveyID, code, flag string, round int64, needSurvey bool) (store.ReviewScope, error) {
	ctx := c.Request().Context()
	sc := store.ReviewScope{SurveyID: surveyID, Flag: flag}
	if surveyID == "" && needSurvey {
		return sc, invalidParam("survey", "请指定问卷")
	}
	if flag != "" && flagLabel(flag) == flag {
		return sc, invalidParam("flag", "标记应为 too_fast、net_burst、entry_burst 或 unlisted_household")
	}
	if surveyID != "" {
		if _, err := s.cache.Definition(ctx, surveyID, 0); err != nil {
			return sc, err
		}
	}
	if round != 0 {
		if surveyID == "" {
			return sc, invalidParam("round", "指定轮次时须指定问卷")
		}
		if _, err := s.store.Round(ctx, surveyID, round); err != nil {
			return sc, err
		}
		sc.RoundID = round
	}
	if code == "" && principalOf(c).Role == account.Admin {
		sc.Path = "/" // every tree
		return sc, nil
	}
	a, err := s.scopedArea(c, code)
	if err != nil {
		return sc, err
	}
	sc.Path = a.Path
	return sc, nil
}

// reviewList handles GET /api/v1/review?survey=S[&area=CODE][&flag=F][&round=ID][&offset=N][&limit=N]:
// the responses pending review in the caller's jurisdiction, oldest first, a page at
// a time, with how many are pending in all and per area and flag.
func (s *Server) reviewList(c echo.Context) error {
	q := c.QueryParams()
	round, err := roundID(q.Get("round"))
	if err != nil {
		return err
	}
	sc, err := s.reviewScope(c, q.Get("survey"), q.Get("area"), q.Get("flag"), round, true)
	if err != nil {
		return err
	}
	reply := reviewReply{Limit: reviewLimit, Items: []reviewItem{}, Groups: []reviewGroup{}}
	if v := q.Get("offset"); v != "" {
		if reply.Offset, err = strconv.Atoi(v); err != nil || reply.Offset < 0 {
			return invalidParam("offset", "offset 应为非负整数")
		}
	}
	if v := q.Get("limit"); v != "" {
		if reply.Limit, err = strconv.Atoi(v); err != nil || reply.Limit <= 0 || reply.Limit > reviewMaxLimit {
			return invalidParam("limit", "limit 应为 1–500")
		}
	}
	ctx := c.Request().Context()
	items, total, err := s.store.PendingResponses(ctx, sc, reply.Offset, reply.Limit)
	if err != nil {
		return err
	}
	groups, err := s.store.PendingGroups(ctx, sc)
	if err != nil {
		return err
	}
	reply.Pending = total
	for _, it := range items {
		reply.Items = append(reply.Items, reviewItem{it.ID, it.AreaCode, it.AreaName, it.Channel, it.SubmittedAt, it.Flags})
	}
	for _, g := range groups {
		reply.Groups = append(reply.Groups, reviewGroup{g.AreaCode, g.AreaName, g.Flag, flagLabel(g.Flag), g.N})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(200, reply)
}

// reviewRequest is a decision as asked for: responses by id, or every pending one of
// a survey in an area's subtree carrying a flag (optionally in one round).
type reviewRequest struct {
	IDs      []uuid.UUID `json:"ids"`
	Survey   string      `json:"survey"`
	Area     string      `json:"area"`
	Flag     string      `json:"flag"`
	Round    int64       `json:"round"`
	Decision string      `json:"decision"`
	Reason   string      `json:"reason"`
}

// decide checks a decision, applies it within the caller's jurisdiction, audits it
// (review.accept or review.reject) and returns how many responses changed. A reject
// needs a reason; a decision by area needs a flag, so that one click never decides a
// whole area's responses held for different reasons.
func (s *Server) decide(c echo.Context, r reviewRequest) (int, error) {
	if r.Decision != "accept" && r.Decision != "reject" {
		return 0, invalidParam("decision", "decision 应为 accept（采纳）或 reject（驳回）")
	}
	if r.Decision == "reject" && r.Reason == "" {
		return 0, invalidParam("reason", "驳回须填写理由")
	}
	if utf8.RuneCountInString(r.Reason) > reviewReason {
		return 0, invalidParam("reason", "理由不能超过 200 字")
	}
	byID := r.IDs != nil
	switch {
	case byID && (len(r.IDs) == 0 || len(r.IDs) > reviewMaxIDs):
		return 0, invalidParam("ids", "ids 应列出 1–1000 份答卷")
	case !byID && r.Flag == "":
		return 0, invalidParam("flag", "按区域批量处理时须指定标记")
	}
	sc, err := s.reviewScope(c, r.Survey, r.Area, r.Flag, r.Round, !byID)
	if err != nil {
		return 0, err
	}
	p := principalOf(c)
	changed, err := s.store.Decide(c.Request().Context(), store.Decision{Scope: sc, IDs: r.IDs,
		Accept: r.Decision == "accept", Reason: r.Reason, UserID: &p.ID})
	if err != nil {
		return 0, err
	}
	detail := map[string]any{"survey": r.Survey, "flag": r.Flag, "changed": changed, "reason": r.Reason}
	if byID {
		detail["ids"] = len(r.IDs)
	}
	if sc.RoundID != 0 {
		detail["round"] = sc.RoundID
	}
	scope := r.Area
	if scope == "" {
		scope = p.AreaCode
	}
	s.audit(c, p, "review."+r.Decision, scope, r.Flag, detail)
	return changed, nil
}

// reviewDecide handles POST /api/v1/review: {"ids":[…]} or {"survey","area","flag"[,"round"]},
// with "decision" accept|reject and "reason"; replies {"changed": N}.
func (s *Server) reviewDecide(c echo.Context) error {
	var r reviewRequest
	if err := c.Bind(&r); err != nil {
		return newError(400, "bad_request", "请求格式有误")
	}
	changed, err := s.decide(c, r)
	if err != nil {
		return err
	}
	return c.JSON(200, map[string]int{"changed": changed})
}

// roundID reads an optional round id.
func roundID(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, invalidParam("round", "轮次应为轮次编号")
	}
	return id, nil
}

// channelLabel is the Chinese name of a channel.
func channelLabel(ch string) string { return survey.Channel(ch).Label() }

// pendingOf is how many responses of a dashboard view's area and rounds are held
// for review.
func (s *Server) pendingOf(c echo.Context, v *dashView) (int, error) {
	f := store.CountFilter{SurveyID: v.Survey}
	if v.Round != nil {
		f.RoundID = v.Round.ID
	}
	n, err := s.store.PendingCounts(c.Request().Context(), []area.Area{v.Area}, f)
	return n[v.Area.ID], err
}
