package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEvent is one line of the audit log: who did what, when, where and from where.
type AuditEvent struct {
	ID       int64          `json:"id"`
	At       time.Time      `json:"at"`
	UserID   *int64         `json:"-"`
	Username string         `json:"username"`
	Action   string         `json:"action"`
	Scope    string         `json:"scope"`
	Target   string         `json:"target"`
	Detail   map[string]any `json:"detail"`
	IP       string         `json:"ip"`
}

// Audit appends an event to the audit log. At, when zero, is the database's now.
func (s *Store) Audit(ctx context.Context, e AuditEvent) (err error) {
	defer wrap(&err, "Store.Audit")
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	if e.Detail == nil {
		detail = []byte("{}")
	}
	var at *time.Time
	if !e.At.IsZero() {
		at = &e.At
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	_, err = s.pool.Exec(ctx, `/* Store.Audit */
		INSERT INTO audit_events (at, user_id, username, action, scope, target, detail, ip)
		VALUES (coalesce($1, now()), $2, $3, $4, $5, $6, $7, $8)`,
		at, e.UserID, e.Username, e.Action, e.Scope, e.Target, detail, e.IP)
	return err
}

// AuditFilter narrows the audit log. Action matches exactly or, ending in ".", as a
// prefix ("export." for every export).
type AuditFilter struct {
	Action   string
	Username string
	BeforeID int64 // 0: from the newest
	Limit    int
}

// AuditEvents returns audit events, newest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) (_ []AuditEvent, err error) {
	defer wrap(&err, "Store.AuditEvents")
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.AuditEvents */
		SELECT id, at, user_id, username, action, scope, target, detail, ip
		FROM audit_events
		WHERE ($1 = '' OR action = $1 OR (right($1, 1) = '.' AND starts_with(action, $1)))
			AND ($2 = '' OR username = $2) AND ($3 = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`, f.Action, f.Username, f.BeforeID, f.Limit)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AuditEvent])
}
