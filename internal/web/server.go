// Package web serves minyi over HTTP: the resident form, QR codes and posters, the
// submission API and the indicators API.
package web

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"minyi/internal/account"
	"minyi/internal/config"
	"minyi/internal/intake"
	"minyi/internal/keyed"
	"minyi/internal/metrics"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// Server holds what the handlers use. Build it with New.
type Server struct {
	cfg     config.Config
	store   *store.Store
	redis   *redis.Client
	limiter *ratelimit.Limiter
	log     *slog.Logger
	now     func() time.Time
	pages   *template.Template
	cache   *catalog
	forms   *formCache
	writer  Submitter
	intake  *intake.Intake
	key     keyed.Key
	metrics *metrics.Metrics // nil records nothing
	echo    *echo.Echo
	drain   atomic.Bool
	csp     string // the Content-Security-Policy of every reply
	// samePassword compares a password with a bcrypt hash (account.SamePassword).
	samePassword func(hash, pw string) bool

	publicProblems *publicCache // the public 问效 pages (problems_public.go)
}

// Drain makes /readyz answer 503 from now on, so that load balancers stop sending
// traffic before the server shuts down.
func (s *Server) Drain() { s.drain.Store(true) }

// Submitter stores validated responses: the store itself, or a store.Batcher that
// groups concurrent submissions into one commit.
type Submitter interface {
	Submit(ctx context.Context, sub store.Submission, now time.Time) (uuid.UUID, bool, error)
}

// Option changes how New wires the server.
type Option func(*Server)

// WithMetrics records request, submission and limit metrics in m. They are served
// apart, on the metrics listener (see cmd/minyi serve), never by this handler.
func WithMetrics(m *metrics.Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithSubmitter sends submissions through sub instead of straight to the store.
func WithSubmitter(sub Submitter) Option { return func(s *Server) { s.writer = sub } }

// New wires a server. rdb is used for readiness only; limits go through lim.
func New(cfg config.Config, st *store.Store, rdb *redis.Client, lim *ratelimit.Limiter, log *slog.Logger, opts ...Option) *Server {
	s := &Server{
		cfg:     cfg,
		store:   st,
		redis:   rdb,
		limiter: lim,
		log:     log,
		now:     time.Now,
		pages:   template.Must(template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html")),
		writer:  st,
		key:     keyed.New(cfg.Secret),

		samePassword: account.SamePassword,
	}
	for _, o := range opts {
		o(s)
	}
	shell, err := s.renderBytes("v_app.html", appPage{Version: appVersion()})
	if err != nil {
		panic(err) // the embedded template is broken: no build can serve
	}
	s.csp = contentSecurityPolicy(inlineScriptHashes(shell))
	s.cache = newCatalog(st, s.now)
	s.intake = intake.New(cfg, st, s.writer, s.cache, lim, s.now)
	s.forms = newFormCache()
	s.publicProblems = newPublicCache(s.now)
	s.echo = s.routes()
	return s
}

// Handler is the HTTP handler of the whole service.
func (s *Server) Handler() http.Handler { return s.echo }

// render writes an HTML page from a template. The page is rendered to a buffer first
// so that a template error becomes a clean 500, not half a page.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	html, err := s.renderBytes(name, data)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, html)
}

func (s *Server) renderBytes(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	err := s.pages.ExecuteTemplate(&buf, name, data)
	return buf.Bytes(), err
}

// Ready reports whether the service can take traffic: PostgreSQL must answer; Redis
// down only degrades it, since limits fall back to in-process ones.
func (s *Server) ready(ctx context.Context) (ok bool, redisOK bool) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ok = s.store.Ping(ctx) == nil
	redisOK = s.redis.Ping(ctx).Err() == nil
	return ok, redisOK
}

// today is the local calendar day now, at midnight.
func (s *Server) today() time.Time {
	t := s.now().In(s.cfg.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.cfg.Location)
}
