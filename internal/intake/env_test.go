package intake

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/config"
	"minyi/internal/household"
	"minyi/internal/ratelimit"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/testenv"
)

// Demo area codes used by the tests.
const (
	community1 = "990100001001"
	community2 = "990100001002"
	street2    = "990100002000"
	community3 = "990100002001" // under street2
	baseURL    = "https://minyi.example.cn"
)

// env is an intake on its own database and Redis key space, with the demo areas and
// the default survey in an open round, and a clock the test moves.
type env struct {
	t    *testing.T
	in   *Intake
	st   *store.Store
	pool *pgxpool.Pool
	def  *survey.Definition

	mu    sync.Mutex
	clock time.Time
}

// storeCatalog reads areas and rounds straight from the store.
type storeCatalog struct {
	st  *store.Store
	now func() time.Time
}

func (c storeCatalog) Area(ctx context.Context, code string) (area.Area, error) {
	return c.st.Area(ctx, code)
}

func (c storeCatalog) Fielded(ctx context.Context, surveyID string) (store.Round, *survey.Definition, error) {
	r, err := c.st.OpenRound(ctx, surveyID, c.now())
	if err != nil {
		return r, nil, err
	}
	d, err := c.st.Definition(ctx, surveyID, r.Version)
	return r, d, err
}

func (storeCatalog) ForgetRound(string) {}

// newEnv builds an intake with the default flags and limits, changed by tweak.
func newEnv(t *testing.T, tweak func(*config.Config)) *env {
	t.Helper()
	cfg := testenv.Config(nil)
	if tweak != nil {
		tweak(&cfg)
	}
	pool := testenv.DB(t)
	st := store.New(pool, 10*time.Second, cfg.Location)
	testenv.DemoAreas(t, st)
	_, def := testenv.OpenRound(t, st, time.Now().Add(-time.Hour))
	rdb, prefix := testenv.Redis(t)
	e := &env{t: t, st: st, pool: pool, def: def, clock: time.Now()}
	lim := ratelimit.New(rdb, prefix, nil)
	e.in = New(cfg, st, st, storeCatalog{st, e.now}, lim, e.now)
	return e
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock
}

// wait moves the clock on.
func (e *env) wait(d time.Duration) {
	e.mu.Lock()
	e.clock = e.clock.Add(d)
	e.mu.Unlock()
}

// answers answers every required single-choice question with its first option.
func (e *env) answers() survey.Submitted {
	a := survey.Submitted{}
	for _, q := range e.def.Questions {
		if q.Required && q.Type == survey.Single {
			a[q.ID] = q.Options[0].ID
		}
	}
	return a
}

// resident is a resident's entry for an area from ip on a device, with a token
// issued to that device for that area now; it is sent from the site's own page.
func (e *env) resident(code, device, ip string) Entry {
	return Entry{Survey: e.def.ID, Area: code, ClientID: uuid.NewString(), Answers: e.answers(),
		Identity: device, FormToken: e.in.FormToken(e.def.ID, code, device), ClientIP: netip.MustParseAddr(ip),
		Origin: baseURL, BaseURL: baseURL}
}

// entrant creates a user; a volunteer is assigned to code (unless empty) today.
func (e *env) entrant(name string, role account.Role, areaCode, assigned string) *Entrant {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.st.CreateUser(ctx, store.NewUser{Username: name, Role: role, AreaCode: areaCode, PasswordHash: "x"})
	if err != nil {
		e.t.Fatal(err)
	}
	if assigned != "" {
		a, err := e.st.Area(ctx, assigned)
		if err != nil {
			e.t.Fatal(err)
		}
		day := e.in.today()
		if _, err := e.st.CreateAssignment(ctx, store.NewAssignment{UserID: u.ID, AreaID: a.ID, Starts: day, Ends: day}, day); err != nil {
			e.t.Fatal(err)
		}
	}
	return &Entrant{User: u}
}

// listHouseholds lists keys as the households of an area.
func (e *env) listHouseholds(code string, keys ...string) {
	e.t.Helper()
	var rows []household.Row
	for i, k := range keys {
		key, err := household.Key(k)
		if err != nil {
			e.t.Fatal(err)
		}
		rows = append(rows, household.Row{Line: i + 2, AreaCode: code, Household: household.Household{Key: key}})
	}
	if _, _, err := e.st.ImportHouseholds(context.Background(), "test.csv", rows); err != nil {
		e.t.Fatal(err)
	}
}

// count runs a counting query.
func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}
