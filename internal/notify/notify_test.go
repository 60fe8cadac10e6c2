package notify

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/internal/problem"
	"minyi/internal/store"
	"minyi/internal/testenv"
)

// receiver is a group robot: it records every message it accepts, refuses the first
// request with a 500, and holds the request numbered holdAt until release is closed.
type receiver struct {
	mu       sync.Mutex
	requests int
	accepted []string
	holdAt   int
	inFlight chan struct{}
	release  chan struct{}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		MsgType  string            `json:"msgtype"`
		Markdown map[string]string `json:"markdown"`
	}
	raw, _ := io.ReadAll(r.Body)
	if json.Unmarshal(raw, &body) != nil || body.MsgType != "markdown" || body.Markdown["content"] == "" {
		http.Error(w, "bad message", 400)
		return
	}
	rc.mu.Lock()
	rc.requests++
	n := rc.requests
	rc.mu.Unlock()
	if n == 1 {
		http.Error(w, "busy", 500)
		return
	}
	if n == rc.holdAt {
		close(rc.inFlight)
		<-rc.release
	}
	rc.mu.Lock()
	rc.accepted = append(rc.accepted, body.Markdown["content"])
	rc.mu.Unlock()
	w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
}

// pools remembers each test store's database, for count.
var pools sync.Map

func newStore(t *testing.T) (*store.Store, *time.Location) {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	pool := testenv.DB(t)
	st := store.New(pool, 10*time.Second, loc)
	pools.Store(st, pool)
	testenv.DemoAreas(t, st)
	return st, loc
}

// assigned stores a problem in the community and assigns it, due on the day, with
// the assignment's message queued.
func assigned(t *testing.T, st *store.Store, code, description string, due time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	a, err := st.Area(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateProblem(ctx, store.NewProblem{New: problem.New{Category: "环境卫生", Description: description,
		Source: problem.FromInspection}, AreaID: a.ID, Username: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.TakeStep(ctx, id, store.Step{Action: problem.Assign, UnitID: a.ID, Due: due,
		Notify: Assigned("https://minyi.example")}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestDeliveredOnce queues assignment and overdue messages, sends them to a local
// receiver that fails once, stops the worker in the middle of a delivery and starts
// another: every message arrives exactly once.
func TestDeliveredOnce(t *testing.T) {
	st, loc := newStore(t)
	ctx := context.Background()
	today := problem.Day(time.Now(), loc)
	for _, d := range []string{"一号问题", "二号问题", "三号问题"} {
		assigned(t, st, "990100001001", d, today.AddDate(0, 0, 5))
	}
	assigned(t, st, "990100001002", "逾期问题", today.AddDate(0, 0, -1))
	for i, want := range []int{1, 0} { // once per due day, however often it looks
		n, err := st.QueueOverdue(ctx, today, Overdue("https://minyi.example"))
		if err != nil || n != want {
			t.Fatalf("queue overdue, pass %d: got %d (%v), want %d", i+1, n, err, want)
		}
	}

	rc := &receiver{holdAt: 3, inFlight: make(chan struct{}), release: make(chan struct{})}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	worker := func() *Worker {
		return &Worker{Store: st, Send: Webhook{URL: srv.URL, Client: srv.Client()}.Send,
			Retry: func(int) (time.Duration, bool) { return 0, true }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Loc: loc, Now: time.Now, Every: 50 * time.Millisecond, OverdueEvery: time.Hour, SendTimeout: 10 * time.Second}
	}
	// The first worker is stopped while the robot holds its second accepted message.
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { worker().Run(wctx); close(done) }()
	select {
	case <-rc.inFlight:
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery reached the receiver")
	}
	stop()
	time.Sleep(100 * time.Millisecond)
	close(rc.release)
	<-done
	if sent := count(t, st, "sent_at IS NOT NULL"); sent != 2 {
		t.Fatalf("sent before the restart: got %d, want 2 (the held one finished)", sent)
	}
	// A new worker sends the rest.
	wctx, stop = context.WithCancel(ctx)
	done = make(chan struct{})
	go func() { worker().Run(wctx); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for count(t, st, "sent_at IS NULL") > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // anything sent twice would arrive meanwhile
	stop()
	<-done
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// Four assignments and one overdue reminder, each once.
	if len(rc.accepted) != 5 {
		t.Fatalf("accepted: got %d messages, want 5:\n%s", len(rc.accepted), strings.Join(rc.accepted, "\n---\n"))
	}
	seen := map[string]int{}
	for _, m := range rc.accepted {
		seen[m]++
		if seen[m] > 1 {
			t.Errorf("delivered twice:\n%s", m)
		}
	}
	for _, want := range []string{"问题交办通知（#1）", "问题交办通知（#2）", "问题交办通知（#3）", "问题交办通知（#4）", "问题逾期提醒</font>（#4）"} {
		n := 0
		for _, m := range rc.accepted {
			if strings.Contains(m, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: got %d deliveries, want 1", want, n)
		}
	}
	if n := count(t, st, "attempts = 2"); n != 1 {
		t.Errorf("messages tried twice (the refused one): got %d, want 1", n)
	}
}

// TestGivesUp marks a message that keeps failing as failed after the retries allowed.
func TestGivesUp(t *testing.T) {
	st, loc := newStore(t)
	assigned(t, st, "990100001001", "问题", problem.Day(time.Now(), loc))
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"errcode":310000,"errmsg":"keywords not in content"}`))
	}))
	defer robot.Close()
	send := Webhook{URL: robot.URL, Client: robot.Client()}.Send
	retry := func(n int) (time.Duration, bool) { return 0, n < 3 }
	for i := range 5 {
		found, err := st.DeliverNext(context.Background(), time.Now(), send, retry)
		if err != nil || found != (i < 3) {
			t.Fatalf("attempt %d: got %v, %v, want found %v", i+1, found, err, i < 3)
		}
	}
	if n := count(t, st, "failed_at IS NOT NULL AND attempts = 3 AND last_error LIKE '%310000%'"); n != 1 {
		t.Errorf("failed messages: got %d, want 1 after 3 attempts", n)
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		wait     time.Duration
		again    bool
	}{{1, 30 * time.Second, true}, {2, time.Minute, true}, {7, 32 * time.Minute, true}, {MaxAttempts, 0, false}} {
		wait, again := Backoff(tc.attempts)
		if wait != tc.wait || again != tc.again {
			t.Errorf("after %d: got %v %v, want %v %v", tc.attempts, wait, again, tc.wait, tc.again)
		}
	}
}

// count counts the outbox's messages that meet a condition.
func count(t *testing.T, st *store.Store, where string) int {
	t.Helper()
	pool, _ := pools.Load(st)
	var n int
	if err := pool.(*pgxpool.Pool).QueryRow(context.Background(), `SELECT count(*) FROM notify_outbox WHERE `+where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
