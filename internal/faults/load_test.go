//go:build linux

package faults

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
)

// attempt is one POST /api/v1/responses and what came of it.
type attempt struct {
	client     string // client_id
	try        int    // 0 for a resident's first attempt, then 1, 2, … for retries
	sent, done time.Time
	status     int   // 0 when err is set
	err        error // transport error
	retryAfter string
	code, msg  string // error and message of an error reply
	id         string // response id of a 2xx
}

func (a attempt) acked() bool            { return a.status == 200 || a.status == 201 }
func (a attempt) latency() time.Duration { return a.done.Sub(a.sent) }

// unsent reports whether the attempt failed before it had a connection: refused, or
// reset during the handshake by a listener closing with connections in its backlog.
func (a attempt) unsent() bool {
	var op *net.OpError
	return errors.As(a.err, &op) && op.Op == "dial"
}

// outcome names what became of an attempt: its status or its transport error.
func (a attempt) outcome() string {
	var op *net.OpError
	switch {
	case a.err == nil:
		return strconv.Itoa(a.status)
	case errors.Is(a.err, syscall.ECONNREFUSED):
		return "refused"
	case errors.As(a.err, &op):
		return op.Op + ": " + op.Err.Error()
	}
	return "error: " + a.err.Error()
}

func (a attempt) String() string {
	return fmt.Sprintf("client %s try %d at +%v in %v: %s %s %s", a.client, a.try,
		a.sent.Format("15:04:05.000"), a.latency().Round(time.Millisecond), a.outcome(), a.code, a.msg)
}

// burst is residents submitting the survey from several workers at once. Each resident
// has a fresh client_id and opens the form first, for a new device cookie and the form
// token it sends (with a bearer token, entrants send neither). With retry, a resident behaves like the form's
// script: on a 5xx, a 429 or a transport error it sends the same body again after the
// Retry-After or an exponential backoff (ten times shorter than the script's, so that
// tests stay short), until acknowledged.
type burst struct {
	url, token, channel string
	retry               bool
	bodies              []json.RawMessage
	client              atomic.Pointer[http.Client]

	mu       sync.Mutex
	attempts []attempt
	begun    map[string]bool   // client_ids a worker started
	acked    map[string]string // client_id → response id
	problems []string          // acknowledgements that disagree with earlier ones
}

func newBurst(t *testing.T, url, token, channel string, retry bool) *burst {
	b := &burst{url: url, token: token, channel: channel, retry: retry, bodies: answerSets(t, 64),
		begun: map[string]bool{}, acked: map[string]string{}}
	b.client.Store(&http.Client{Timeout: 40 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * workers, MaxIdleConnsPerHost: 2 * workers, IdleConnTimeout: 30 * time.Second}})
	return b
}

// freshConnections makes every later request open a connection of its own and closes
// the idle ones, so that an error tells about that request alone.
func (b *burst) freshConnections() {
	old := b.client.Swap(&http.Client{Timeout: 40 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}})
	old.CloseIdleConnections()
}

// start runs n workers until the returned stop is called; stop waits for them. A
// retrying worker first finishes its resident, for at most a minute more.
func (b *burst) start(t *testing.T, n int) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	hard, hardCancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { b.worker(ctx, hard, w) })
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			timer := time.AfterFunc(time.Minute, hardCancel)
			wg.Wait()
			timer.Stop()
			hardCancel()
		})
	}
	t.Cleanup(stop)
	return stop
}

func (b *burst) worker(ctx, hard context.Context, w int) {
	channel := ""
	if b.channel != "" {
		channel = fmt.Sprintf(`,"channel":%q`, b.channel)
	}
	for n := 0; ctx.Err() == nil; n++ {
		id := uuid.NewString()
		area := communities[(w+n)%len(communities)]
		token, cookie := "", ""
		if b.token == "" {
			if token, cookie = b.form(area); token == "" {
				sleep(ctx, 20*time.Millisecond) // the form did not open: the resident tries again
				continue
			}
		}
		body := fmt.Sprintf(`{"survey":"chuangwen","area":%q,"client_id":%q,"answers":%s,"started_at":%q,"form_token":%q%s}`,
			area, id, b.bodies[(w*7+n)%len(b.bodies)],
			time.Now().Add(-3*time.Minute).UTC().Format(time.RFC3339), token, channel)
		b.mu.Lock()
		b.begun[id] = true
		b.mu.Unlock()
		for try := 0; ; try++ {
			a := b.post(id, try, body, cookie)
			b.record(a)
			if a.acked() || hard.Err() != nil || (a.status > 0 && a.status < 500 && a.status != 429) {
				break
			}
			if !b.retry {
				sleep(hard, 20*time.Millisecond) // no spinning on a closed port
				break
			}
			sleep(hard, backoff(a, try))
		}
	}
}

// backoff is the form script's wait before retry number try+1, divided by ten: the
// Retry-After, else 2^try seconds, at most 15 seconds.
func backoff(a attempt, try int) time.Duration {
	d := time.Second << min(try, 4)
	if s, err := strconv.Atoi(a.retryAfter); err == nil && s > 0 {
		d = time.Duration(s) * time.Second
	}
	return min(d, 15*time.Second) / 10
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

var formTokenInput = regexp.MustCompile(`name="form_token" value="([^"]*)"`)

// form opens the resident form of an area as a phone does and returns its token and
// the device cookie it set; "" when it did not open.
func (b *burst) form(area string) (token, cookie string) {
	res, err := b.client.Load().Get(b.url + "/s/chuangwen/" + area)
	if err != nil {
		return "", ""
	}
	page, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	m := formTokenInput.FindSubmatch(page)
	if err != nil || res.StatusCode != 200 || m == nil {
		return "", ""
	}
	for _, c := range res.Cookies() {
		if c.Name == "minyi_device" {
			cookie = c.Name + "=" + c.Value
		}
	}
	return string(m[1]), cookie
}

func (b *burst) post(id string, try int, body, cookie string) attempt {
	a := attempt{client: id, try: try, sent: time.Now()}
	req, err := http.NewRequest("POST", b.url+"/api/v1/responses", strings.NewReader(body))
	if err != nil {
		a.err = err
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := b.client.Load().Do(req)
	if err != nil {
		a.done, a.err = time.Now(), err
		return a
	}
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	a.done, a.status, a.retryAfter = time.Now(), res.StatusCode, res.Header.Get("Retry-After")
	if err != nil {
		a.status, a.err = 0, fmt.Errorf("reading reply %d: %w", res.StatusCode, err)
		return a
	}
	var v struct{ ID, Error, Message string }
	if err := json.Unmarshal(raw, &v); err != nil {
		v.Message = fmt.Sprintf("not JSON: %.200q", raw)
	}
	a.id, a.code, a.msg = v.ID, v.Error, v.Message
	return a
}

func (b *burst) record(a attempt) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.attempts = append(b.attempts, a)
	if !a.acked() {
		return
	}
	if prev, ok := b.acked[a.client]; ok && prev != a.id {
		b.problems = append(b.problems, fmt.Sprintf("client %s acknowledged as %s, then as %s", a.client, prev, a.id))
	}
	if a.status == 201 && b.acked[a.client] != "" {
		b.problems = append(b.problems, fmt.Sprintf("client %s got 201 twice", a.client))
	}
	if a.id == "" {
		b.problems = append(b.problems, fmt.Sprintf("client %s: %d without an id", a.client, a.status))
	}
	b.acked[a.client] = a.id
}

// results returns a copy of every attempt so far, in the order they ended.
func (b *burst) results() []attempt {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.attempts)
}

// tally counts attempts by outcome, for messages: "201×812 503×40".
func tally(as []attempt) string {
	n := map[string]int{}
	for _, a := range as {
		n[a.outcome()]++
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, n[k]))
	}
	return strings.Join(parts, " ")
}

// median returns the median latency of as.
func median(as []attempt) time.Duration {
	if len(as) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(as))
	for i, a := range as {
		ds[i] = a.latency()
	}
	slices.Sort(ds)
	return ds[len(ds)/2].Round(time.Millisecond)
}

// window is a span of time; an attempt is in it when it was sent and answered in it.
type window struct{ from, to time.Time }

func (w window) holds(a attempt) bool { return !a.sent.Before(w.from) && !a.done.After(w.to) }

// filter returns the attempts for which keep holds.
func filter(as []attempt, keep func(attempt) bool) []attempt {
	var out []attempt
	for _, a := range as {
		if keep(a) {
			out = append(out, a)
		}
	}
	return out
}

// report fails the test for up to five of bad, with what and how many there were.
func report(t *testing.T, what string, bad []attempt) {
	t.Helper()
	if len(bad) == 0 {
		return
	}
	var b strings.Builder
	for i, a := range bad {
		if i == 5 {
			fmt.Fprintf(&b, "\n  …")
			break
		}
		fmt.Fprintf(&b, "\n  %v", a)
	}
	t.Errorf("%d attempts %s (%s):%s", len(bad), what, tally(bad), b.String())
}
