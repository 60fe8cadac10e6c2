package store

import (
	"context"
	"time"

	"minyi/internal/survey"
)

// ExportedResponse is one response as exports list it.
type ExportedResponse struct {
	SubmittedAt time.Time
	AreaCode    string
	AreaName    string
	Channel     survey.Channel
	Answers     survey.Answers
	Status      string // counted, pending (held for review) or rejected
}

// ResponseFilter picks the responses of one round in an area's subtree.
type ResponseFilter struct {
	RoundID  int64
	AreaPath string // the subtree's root path, as area.Area.Path
	Channel  string // "": every channel
	From, To *time.Time
}

// exportTimeout bounds one export. An export streams for as long as the client reads,
// so it gets more than the store's per-call deadline; the request's own deadline still
// applies.
const exportTimeout = 10 * time.Minute

// EachResponse calls fn with every response the filter picks, oldest first, reading
// them from the database one at a time: memory does not grow with their number. It
// stops at the first error fn returns and returns it.
func (s *Store) EachResponse(ctx context.Context, f ResponseFilter, fn func(ExportedResponse) error) (err error) {
	defer wrap(&err, "Store.EachResponse")
	ctx, cancel := context.WithTimeout(ctx, max(exportTimeout, s.timeout))
	defer cancel()
	rows, err := s.pool.Query(ctx, `/* Store.EachResponse */
		SELECT x.submitted_at, a.code, a.name, x.channel, x.answers, x.status
		FROM responses x JOIN areas a ON a.id = x.area_id
		WHERE x.round_id = $1 AND a.path LIKE $2 || '%'
			AND ($3 = '' OR x.channel = $3)
			AND ($4::date IS NULL OR x.day >= $4::date) AND ($5::date IS NULL OR x.day <= $5::date)
		ORDER BY x.submitted_at, x.id`, f.RoundID, f.AreaPath, f.Channel, day(f.From), day(f.To))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ExportedResponse
		if err := rows.Scan(&r.SubmittedAt, &r.AreaCode, &r.AreaName, &r.Channel, &r.Answers, &r.Status); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
