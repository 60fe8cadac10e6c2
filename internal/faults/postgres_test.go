//go:build linux

package faults

import (
	"strconv"
	"testing"
	"time"
	"unicode"
)

// TestPostgresStopped stops PostgreSQL (pg_ctl stop -m fast) in the middle of a burst
// whose residents retry like the form's script. While it is down every submission is
// answered, quickly, with a 503 that says in Chinese to try again and when; minyi
// recovers by itself once PostgreSQL is back; and in the end every resident is
// acknowledged and stored exactly once, replays included.
func TestPostgresStopped(t *testing.T) {
	p := pick(plan{warm: time.Second, down: 3 * time.Second, after: time.Second, cycles: 1},
		plan{warm: 3 * time.Second, down: 5 * time.Second, after: 3 * time.Second, cycles: 3})
	svc := startServices(t, false) // fsync on: acknowledged means durable
	env, token := setup(t, svc)
	m := serve(t, env, svc.dir)
	b := newBurst(t, m.url, "", "", true)
	stop := b.start(t, workers)
	time.Sleep(p.warm)

	type outage struct{ stopping, stopped, restarting, restarted time.Time }
	var outages []outage
	for range p.cycles {
		var o outage
		o.stopping = time.Now()
		svc.stopPostgres(t)
		o.stopped = time.Now()
		time.Sleep(p.down / 2)
		if r, err := m.ready(); err != nil || r.Code != 503 || r.Postgres != "down" {
			t.Errorf("/readyz with PostgreSQL down: got %+v %v, want 503 with postgres down", r, err)
		}
		time.Sleep(p.down - time.Since(o.stopping))
		o.restarting = time.Now()
		svc.restart(t)
		o.restarted = time.Now()
		outages = append(outages, o)
		waitFor(t, 15*time.Second, "/readyz to say ok", func() bool {
			r, err := m.ready()
			return err == nil && r.Code == 200
		})
		time.Sleep(p.after)
	}
	stop()
	m.running(t) // recovered by itself, not restarted

	as := b.results()
	replyBound := dbTimeout + 3*time.Second
	// Anything but a 201, a replay or a 503 is a fault of minyi's.
	report(t, "neither 201, nor 200 on a retry, nor 503", filter(as, func(a attempt) bool {
		return !(a.status == 201 || a.status == 503 || (a.status == 200 && a.try > 0))
	}))
	report(t, "503 without Retry-After, code unavailable and a Chinese message, or later than "+replyBound.String(),
		filter(as, func(a attempt) bool {
			s, err := strconv.Atoi(a.retryAfter)
			return a.status == 503 && (err != nil || s < 1 || a.code != "unavailable" || !chinese(a.msg) || a.latency() > replyBound)
		}))
	for i, o := range outages {
		down := window{o.stopped, o.restarting}
		in := filter(as, down.holds)
		report(t, "answered other than 503 while PostgreSQL was down", filter(in, func(a attempt) bool { return a.status != 503 }))
		if len(in) == 0 {
			t.Errorf("cycle %d: no submission was answered while PostgreSQL was down", i+1)
		}
		first503 := firstAfter(as, o.stopping, func(a attempt) bool { return a.status == 503 })
		firstOK := firstAfter(as, o.restarted, attempt.acked)
		var slowest time.Duration
		for _, a := range filter(as, window{o.stopping, o.restarted}.holds) {
			if a.status == 503 {
				slowest = max(slowest, a.latency())
			}
		}
		t.Logf("cycle %d: pg_ctl stop took %v; first 503 %v after it began; down %v: %d replies (%s), slowest 503 in %v; restart took %v; first 2xx %v after restart",
			i+1, o.stopped.Sub(o.stopping).Round(time.Millisecond), first503, o.restarting.Sub(o.stopped).Round(time.Millisecond),
			len(in), tally(in), slowest.Round(time.Millisecond), o.restarted.Sub(o.restarting).Round(time.Millisecond), firstOK)
	}

	started, acked := len(b.begun), len(b.acked)
	if acked != started {
		t.Errorf("acknowledged %d residents, want %d (every one started)", acked, started)
	}
	n := verifyStored(t, svc.databaseURL, b)
	if n != acked {
		t.Errorf("stored %d responses, want %d (the acknowledged ones)", n, acked)
	}
	if got := m.respondents(t, token); got != n {
		t.Errorf("indicators count %d respondents, want %d (the stored responses)", got, n)
	}
	retried := filter(as, func(a attempt) bool { return a.try > 0 })
	t.Logf("%d residents started, %d acknowledged, %d stored; %d attempts (%s), %d of them retries (%s)",
		started, acked, n, len(as), tally(as), len(retried), tally(retried))
}

// chinese reports whether s has a Han character.
func chinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// firstAfter returns how long after t the first attempt answered after t for which
// ok holds was answered, or "never".
func firstAfter(as []attempt, t time.Time, ok func(attempt) bool) string {
	var first time.Time
	for _, a := range as {
		if a.done.After(t) && ok(a) && (first.IsZero() || a.done.Before(first)) {
			first = a.done
		}
	}
	if first.IsZero() {
		return "never"
	}
	return first.Sub(t).Round(time.Millisecond).String()
}
