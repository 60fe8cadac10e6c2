package web

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/store"
)

// reviewPageData is what the review page shows: the pending responses of an area's
// subtree by area and flag, the oldest of them one by one, and the latest decisions,
// each with the buttons that decide or undo.
type reviewPageData struct {
	Surveys []store.SurveySummary
	Survey  string
	Area    area.Area
	Flag    string
	Flags   []struct{ ID, Label string }
	Rounds  []store.Round
	Round   int64
	Pending int
	Groups  []reviewGroup
	Items   []reviewPageItem
	History []reviewPageDecision
	Notice  string
	Error   string
}

type reviewPageItem struct {
	ID, Area, AreaName, Channel, SubmittedAt string
	Flags                                    []string
}

type reviewPageDecision struct {
	At, AreaName, Decision, Reason, Username, Status string
	Undo                                             string // the button value that reverses it; "" when it no longer holds
}

// reviewHistory is how many of the latest decisions the page lists.
const reviewHistory = 30

// reviewPage handles GET /review[?survey=S&area=CODE&flag=F&round=ID].
func (s *Server) reviewPage(c echo.Context) error {
	page, err := s.reviewPageOf(c, c.QueryParams())
	if err != nil {
		return err
	}
	if n := c.QueryParam("done"); n != "" {
		page.Notice = fmt.Sprintf("已%s %s 份答卷，数据看板即时更新。", map[string]string{"accept": "采纳", "reject": "驳回"}[c.QueryParam("decision")], n)
	}
	return s.renderStaff(c, 200, "review.html", "review", "待审核答卷", page)
}

// reviewPageOf gathers the page for the query's survey (default: the first),
// area (default: the caller's own), flag and round.
func (s *Server) reviewPageOf(c echo.Context, q url.Values) (*reviewPageData, error) {
	ctx := c.Request().Context()
	surveys, err := s.store.Surveys(ctx, s.now())
	if err != nil {
		return nil, err
	}
	page := &reviewPageData{Surveys: surveys, Survey: q.Get("survey"), Flag: q.Get("flag"), Flags: reviewFlags}
	if page.Area, err = s.scopedArea(c, q.Get("area")); err != nil {
		return nil, err
	}
	if page.Survey == "" {
		if len(surveys) == 0 {
			return page, nil
		}
		page.Survey = surveys[0].ID
	}
	if page.Round, err = roundID(q.Get("round")); err != nil {
		return nil, err
	}
	sc, err := s.reviewScope(c, page.Survey, page.Area.Code, page.Flag, page.Round, true)
	if err != nil {
		return nil, err
	}
	if page.Rounds, err = s.store.Rounds(ctx, page.Survey); err != nil {
		return nil, err
	}
	items, total, err := s.store.PendingResponses(ctx, sc, 0, reviewLimit)
	if err != nil {
		return nil, err
	}
	page.Pending = total
	for _, it := range items {
		labels := make([]string, len(it.Flags))
		for i, f := range it.Flags {
			labels[i] = flagLabel(f)
		}
		page.Items = append(page.Items, reviewPageItem{it.ID.String(), it.AreaCode, it.AreaName, channelLabel(it.Channel),
			it.SubmittedAt.In(s.cfg.Location).Format("01-02 15:04"), labels})
	}
	groups, err := s.store.PendingGroups(ctx, sc)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		page.Groups = append(page.Groups, reviewGroup{g.AreaCode, g.AreaName, g.Flag, flagLabel(g.Flag), g.N})
	}
	sc.Flag = ""
	log, err := s.store.ReviewDecisions(ctx, sc, reviewHistory)
	if err != nil {
		return nil, err
	}
	undone := map[string]bool{} // only a response's latest decision can be undone
	for _, d := range log {
		row := reviewPageDecision{At: d.At.In(s.cfg.Location).Format("01-02 15:04"), AreaName: d.AreaName,
			Decision: decisionLabels[d.Decision], Reason: d.Reason, Username: d.Username, Status: statusLabels[d.Status]}
		id := d.ResponseID.String()
		if !undone[id] && d.Status == map[string]string{"accept": "counted", "reject": "rejected"}[d.Decision] {
			row.Undo = map[string]string{"accept": "reject", "reject": "accept"}[d.Decision] + "|undo||" + id
		}
		undone[id] = true
		page.History = append(page.History, row)
	}
	return page, nil
}

var (
	decisionLabels = map[string]string{"accept": "采纳", "reject": "驳回"}
	statusLabels   = map[string]string{"counted": "已计入", "pending": "待审核", "rejected": "已驳回"}
)

// reviewPagePost handles POST /review: one button of the page, whose value says
// what to decide ("accept|group|FLAG|CODE", "reject|id||ID", "accept|undo||ID"),
// with the reason typed above. It redirects back to the page, saying how many changed.
func (s *Server) reviewPagePost(c echo.Context) error {
	back := url.Values{"survey": {c.FormValue("survey")}, "area": {c.FormValue("area")}}
	for _, k := range []string{"flag", "round"} {
		if v := c.FormValue(k); v != "" {
			back.Set(k, v)
		}
	}
	parts := strings.SplitN(c.FormValue("do"), "|", 4)
	if len(parts) != 4 {
		return invalidParam("do", "请点击页面上的按钮进行操作")
	}
	r := reviewRequest{Survey: back.Get("survey"), Area: back.Get("area"), Decision: parts[0],
		Reason: strings.TrimSpace(c.FormValue("reason"))}
	switch parts[1] {
	case "group":
		r.Flag, r.Area = parts[2], parts[3]
		var err error
		if r.Round, err = roundID(back.Get("round")); err != nil {
			return err
		}
	case "id", "undo":
		id, err := uuid.Parse(parts[3])
		if err != nil {
			return invalidParam("do", "答卷编号有误")
		}
		r.IDs = []uuid.UUID{id}
		if parts[1] == "undo" && r.Reason == "" {
			r.Reason = "撤销此前的决定"
		}
	default:
		return invalidParam("do", "请点击页面上的按钮进行操作")
	}
	changed, err := s.decide(c, r)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status < 500 && ae.Status != 404 {
		page, perr := s.reviewPageOf(c, back)
		if perr != nil {
			return perr
		}
		page.Error = ae.Message
		return s.renderStaff(c, ae.Status, "review.html", "review", "待审核答卷", page)
	}
	if err != nil {
		return err
	}
	back.Set("done", strconv.Itoa(changed))
	back.Set("decision", r.Decision)
	return c.Redirect(303, "/review?"+back.Encode())
}
