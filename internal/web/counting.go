package web

import (
	"context"
	"strconv"
	"time"
)

// counting says how current a reply's figures are: they hold every response counted by
// as_of (null before this server saw a fold finish), and uncounted more were waiting
// to be counted (or taken out after review) when the reply was made. Every figures
// reply embeds it.
type counting struct {
	AsOf      *time.Time `json:"as_of"`
	Uncounted int        `json:"uncounted"`
}

// counted waits for the responses committed so far to be counted, no longer than a
// read's share of the deadline, without holding a database connection, and says how
// far counting got. Call it before reading figures.
func (s *Server) counted(ctx context.Context) counting {
	st := s.store.AwaitCounts(ctx)
	out := counting{Uncounted: st.Uncounted}
	if !st.AsOf.IsZero() {
		t := st.AsOf.In(s.cfg.Location)
		out.AsOf = &t
	}
	return out
}

// notes are the export summary's lines that say how current the figures are.
func (c counting) notes(s *Server) [][2]string {
	asOf := "—"
	if c.AsOf != nil {
		asOf = s.exportTime(*c.AsOf)
	}
	return [][2]string{{"数据截至", asOf}, {"正在统计", strconv.Itoa(c.Uncounted) + " 份"}}
}
