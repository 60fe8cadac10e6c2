package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// probe is one database connection of its own, outside the pool, that Ping uses: a
// readiness check answers even when every pooled connection is busy, and never makes a
// request wait for one.
type probe struct {
	config *pgx.ConnConfig
	turn   chan struct{} // holds a token while a ping is at work
	conn   *pgx.Conn     // nil until connected, and after a failure
}

func newProbe(pool *pgxpool.Pool) *probe {
	p := &probe{config: pool.Config().ConnConfig.Copy(), turn: make(chan struct{}, 1)}
	p.config.ConnectTimeout = 2 * time.Second
	return p
}

// Ping reports whether the database answers, on the probe's own connection (made on
// first use and again after a failure), within ctx.
func (s *Store) Ping(ctx context.Context) error {
	p := s.probe
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.turn }()
	if p.conn == nil {
		conn, err := pgx.ConnectConfig(ctx, p.config)
		if err != nil {
			return err
		}
		p.conn = conn
	}
	if err := p.conn.Ping(ctx); err != nil {
		closing, cancel := context.WithTimeout(context.Background(), time.Second)
		p.conn.Close(closing)
		cancel()
		p.conn = nil
		return err
	}
	return nil
}
