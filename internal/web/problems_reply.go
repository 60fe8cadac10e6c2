package web

import (
	"strconv"
	"time"

	"minyi/internal/problem"
	"minyi/internal/store"
)

// problemReply is a problem as the API shows it.
type problemReply struct {
	ID          int64          `json:"id"`
	Area        placeRef       `json:"area"`
	Category    string         `json:"category"`
	Description string         `json:"description"`
	Source      problem.Source `json:"source"`
	SourceLabel string         `json:"source_label"`
	Evidence    string         `json:"evidence"`
	ResponseID  string         `json:"response_id,omitempty"`
	Status      problem.Status `json:"status"`
	StatusLabel string         `json:"status_label"`
	RaisedBy    string         `json:"raised_by"`
	RaisedAt    time.Time      `json:"raised_at"`
	Unit        *placeRef      `json:"unit"`
	Assignee    string         `json:"assignee"`
	Due         *string        `json:"due"`
	Overdue     bool           `json:"overdue"`
	DaysOverdue int            `json:"days_overdue"`
	AssignedAt  *time.Time     `json:"assigned_at"`
	RectifiedAt *time.Time     `json:"rectified_at"`
	RectifyNote string         `json:"rectify_note"`
	ClosedAt    *time.Time     `json:"closed_at"`
	CloseNote   string         `json:"close_note"`
	PublicNote  string         `json:"public_note"`
	Contacted   bool           `json:"contacted"`
	Satisfied   *bool          `json:"satisfied"`
	CallBack    string         `json:"callback"` // the call back in words
	PhotoCount  int            `json:"photo_count"`
	Photos      []photoRef     `json:"photos,omitempty"`
	Log         []logRef       `json:"log,omitempty"`
}

// placeRef names an area.
type placeRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type photoRef struct {
	ID     int64          `json:"id"`
	Stage  problem.Status `json:"stage"`
	URL    string         `json:"url"`
	Width  int            `json:"width"`
	Height int            `json:"height"`
	Size   int            `json:"size"`
	At     time.Time      `json:"at"`
}

type logRef struct {
	At          time.Time      `json:"at"`
	Action      problem.Action `json:"action"`
	ActionLabel string         `json:"action_label"`
	From        problem.Status `json:"from"`
	To          problem.Status `json:"to"`
	Username    string         `json:"username"`
	Note        string         `json:"note"`
}

// replyOf shows a problem as it stands at the server's now.
func (s *Server) replyOf(p problem.Problem) problemReply {
	now, loc := s.now(), s.cfg.Location
	f := p.Fact()
	r := problemReply{ID: p.ID, Area: placeRef{p.AreaCode, p.AreaName}, Category: p.Category,
		Description: p.Description, Source: p.Source, SourceLabel: p.Source.Label(), Evidence: p.Evidence,
		ResponseID: p.ResponseID, Status: p.Status, StatusLabel: p.Status.Label(), RaisedBy: p.RaisedBy,
		RaisedAt: p.RaisedAt.In(loc), Assignee: p.Assignee, Overdue: f.Overdue(now, s.cfg.Location),
		DaysOverdue: f.DaysOverdue(now, s.cfg.Location), AssignedAt: p.AssignedAt, RectifiedAt: p.RectifiedAt,
		RectifyNote: p.RectifyNote, ClosedAt: p.ClosedAt, CloseNote: p.CloseNote, PublicNote: p.PublicNote,
		Contacted: p.Contacted, Satisfied: p.Satisfied, PhotoCount: p.Photos}
	r.AssignedAt, r.RectifiedAt, r.ClosedAt = inZone(p.AssignedAt, loc), inZone(p.RectifiedAt, loc), inZone(p.ClosedAt, loc)
	r.CallBack = "未回访"
	if p.Contacted {
		r.CallBack = "已回访"
		if p.Satisfied != nil && *p.Satisfied {
			r.CallBack += "，群众满意"
		} else if p.Satisfied != nil {
			r.CallBack += "，群众不满意"
		}
	}
	if p.UnitCode != "" {
		r.Unit = &placeRef{p.UnitCode, p.UnitName}
	}
	if p.Due != nil {
		d := p.Due.Format(time.DateOnly)
		r.Due = &d
	}
	return r
}

func photoRefs(id int64, list []store.PhotoInfo, loc *time.Location) []photoRef {
	out := make([]photoRef, len(list))
	for i, ph := range list {
		out[i] = photoRef{ID: ph.ID, Stage: ph.Stage, Width: ph.Width, Height: ph.Height, Size: ph.Size, At: ph.At.In(loc),
			URL: "/api/v1/problems/" + strconv.FormatInt(id, 10) + "/photos/" + strconv.FormatInt(ph.ID, 10)}
	}
	return out
}

func inZone(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	x := t.In(loc)
	return &x
}

func logRefs(list []store.ProblemLogEntry, loc *time.Location) []logRef {
	out := make([]logRef, len(list))
	for i, l := range list {
		out[i] = logRef{At: l.At.In(loc), Action: l.Action, ActionLabel: l.Action.Label(), From: l.From, To: l.To,
			Username: l.Username, Note: l.Note}
	}
	return out
}
