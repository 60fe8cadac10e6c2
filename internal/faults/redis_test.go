//go:build linux

package faults

import (
	"testing"
	"time"
)

// TestRedisKilled kills Redis with SIGKILL in the middle of a burst. Rate limits fall
// back to in-process ones, so every submission is still accepted and stored; /readyz
// says degraded and minyi_redis_fallback is 1. When Redis is back on its port, minyi
// uses it again within 10 s, without a restart.
func TestRedisKilled(t *testing.T) {
	p := pick(plan{warm: time.Second, down: 2 * time.Second, after: time.Second, cycles: 1},
		plan{warm: 4 * time.Second, down: 8 * time.Second, after: 4 * time.Second, cycles: 2})
	svc := startServices(t, true)
	env, token := setup(t, svc)
	m := serve(t, env, svc.dir)
	b := newBurst(t, m.url, "", "", false)
	stop := b.start(t, workers)
	time.Sleep(p.warm)

	var outages []window
	for cycle := range p.cycles {
		killed := time.Now()
		svc.killRedis(t)
		var r readiness
		toDegraded := waitFor(t, 5*time.Second, "/readyz to say degraded", func() bool {
			var err error
			r, err = m.ready()
			return err == nil && r.Status != "ok"
		})
		if want := (readiness{Code: 200, Status: "degraded", Postgres: "ok", Redis: "down"}); r != want {
			t.Errorf("/readyz with Redis down: got %+v, want %+v", r, want)
		}
		// A readiness probe must get its answer within its timeout (3 s in
		// deploy/k8s) while Redis is down, or pods would leave the Service.
		var slowest time.Duration
		for range 5 {
			start := time.Now()
			r, err := m.ready()
			d := time.Since(start)
			slowest = max(slowest, d)
			if err != nil || r.Code != 200 || d > 3*time.Second {
				t.Errorf("/readyz with Redis down: got %+v %v in %v, want 200 within 3s", r, err, d)
			}
		}
		toFallback := waitFor(t, 5*time.Second, "minyi_redis_fallback 1", func() bool {
			v, err := m.metric("minyi_redis_fallback")
			return err == nil && v == 1
		})
		time.Sleep(p.down - time.Since(killed))
		restart := time.Now()
		svc.restart(t)
		up := time.Now()
		outages = append(outages, window{killed, restart})
		toRecovered := waitFor(t, 10*time.Second, "minyi_redis_fallback 0", func() bool {
			v, err := m.metric("minyi_redis_fallback")
			return err == nil && v == 0
		})
		waitFor(t, 5*time.Second, "/readyz to say ok", func() bool {
			r, err := m.ready()
			return err == nil && r.Code == 200 && r.Status == "ok"
		})
		t.Logf("cycle %d: Redis killed; /readyz degraded after %v (slowest of 5 more: %v), fallback 1 %v later; Redis down %v, restarted in %v; fallback 0 %v after restart",
			cycle+1, toDegraded.Round(time.Millisecond), slowest.Round(time.Millisecond), toFallback.Round(time.Millisecond),
			restart.Sub(killed).Round(time.Millisecond), up.Sub(restart).Round(time.Millisecond),
			toRecovered.Round(time.Millisecond))
		time.Sleep(p.after)
	}
	stop()

	as := b.results()
	report(t, "not answered 201", filter(as, func(a attempt) bool { return a.status != 201 }))
	during := filter(as, func(a attempt) bool {
		for _, w := range outages {
			if w.holds(a) {
				return true
			}
		}
		return false
	})
	if len(during) == 0 {
		t.Errorf("no submission was made while Redis was down")
	}
	m.running(t) // recovered by itself, not restarted
	n := verifyStored(t, svc.databaseURL, b)
	if got := m.respondents(t, token); got != n {
		t.Errorf("indicators count %d respondents, want %d (the stored responses)", got, n)
	}
	if n != len(b.acked) {
		t.Errorf("stored %d responses, want %d (the acknowledged ones)", n, len(b.acked))
	}
	before := filter(as, func(a attempt) bool { return a.done.Before(outages[0].from) })
	t.Logf("%d submissions (%s), %d while Redis was down; median latency %v before, %v while down; %d stored",
		len(as), tally(as), len(during), median(before), median(during), n)
	for _, e := range []string{"redis unreachable", "redis reachable again"} {
		var at []string
		for _, when := range m.logged(e) {
			at = append(at, when.Sub(outages[0].from).Round(time.Millisecond).String())
		}
		t.Logf("minyi logged %q %d times, at %v from the first kill", e, len(at), at)
	}
}
