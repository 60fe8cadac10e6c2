package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// offline cuts the page and its service worker off the network, or reconnects them,
// through the DevTools protocol: the conditions are set on the page's target and on
// every service worker's own target, whose requests the page's conditions do not
// cover; navigator.onLine follows.
func offline(t *testing.T, ctx context.Context, off bool) {
	t.Helper()
	var rules []*network.Conditions
	if off {
		rules = []*network.Conditions{{URLPattern: "", Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sessions := []context.Context{ctx}
	for _, info := range targets {
		if info.Type == "service_worker" {
			wctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
			t.Cleanup(cancel)
			sessions = append(sessions, wctx)
		}
	}
	if len(sessions) < 2 {
		t.Fatalf("targets: got %d service workers, want one", len(sessions)-1)
	}
	for _, s := range sessions {
		if _, err := chromedp.Call(s, network.Enable, network.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(s, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: rules}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls a JavaScript predicate until it holds.
func waitFor(t *testing.T, ctx context.Context, what, predicate string, timeout time.Duration) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// enterHousehold enters a household in the app: its door number, the questionnaire
// answered with each required question's first option, and on to the next one.
func enterHousehold(t *testing.T, ctx context.Context, e *testEnv, key string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.CSS("#key"), key),
		chromedp.Click(chromedp.CSS("#key-go")),
		chromedp.WaitVisible(chromedp.CSS("#start")),
		chromedp.Click(chromedp.CSS("#start")),
		chromedp.WaitVisible(chromedp.CSS("#survey fieldset")),
	}
	for _, q := range e.def.Questions {
		if q.Required {
			steps = append(steps, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%s input[value="%s"]`, q.ID, q.Options[0].ID))))
		}
	}
	steps = append(steps,
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#next")),
		chromedp.Click(chromedp.CSS("#next")),
		chromedp.WaitVisible(chromedp.CSS("#key")),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("household %s: %v", key, err)
	}
}

// TestVolunteerAppOffline does an evening round with the network gone: sign in, let
// the service worker take the app, go offline, enter three households, reload the app
// offline, come back online and see the queue drain; the three responses are counted
// once, and once again after the whole sync is replayed.
func TestVolunteerAppOffline(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.http.URL+"/v/"),
		signInAs("vol1"),
		chromedp.WaitVisible(chromedp.CSS("#key")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the service worker to control the app", `navigator.serviceWorker.controller !== null`, 30*time.Second)
	waitFor(t, ctx, "the first sync", `document.getElementById("last-sync").textContent !== "从未"`, 30*time.Second)

	offline(t, ctx, true)
	waitFor(t, ctx, "the app to see it is offline", `document.getElementById("net").textContent === "离线"`, 10*time.Second)
	if got := run(t, ctx, chromedp.Evaluate[string](`fetch("/healthz").then(() => "reached", () => "offline")`, chromedp.EvalAwaitPromise)); got != "offline" {
		t.Fatalf("network while offline: got %s, want offline", got)
	}
	for i := 1; i <= 3; i++ {
		enterHousehold(t, ctx, e, fmt.Sprintf("6-1-%d0%d", i, i))
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#pending"))); got != "3" {
		t.Errorf("queued while offline: got %s, want 3", got)
	}

	// The app opens from the service worker's cache, and the queue is still there.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#key"))); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	waitFor(t, ctx, "the queue after the reload", `document.querySelectorAll("#queue li").length === 3 && document.getElementById("pending").textContent === "3"`, 10*time.Second)
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#net"))); got != "离线" {
		t.Errorf("after reload: got %s, want 离线", got)
	}
	if n := e.respondents(community1); n != 0 {
		t.Fatalf("respondents while the phone is offline: got %d, want 0", n)
	}

	offline(t, ctx, false)
	waitFor(t, ctx, "the queue to drain", `document.getElementById("pending").textContent === "0"`, 60*time.Second)
	door := func() int {
		var ind indicatorsJSON
		if st := e.getJSON("/api/v1/indicators?survey=chuangwen&area="+community1+"&channel=volunteer", &ind, e.auth()...); st != 200 {
			t.Fatalf("indicators: got %d", st)
		}
		return ind.Rows[0].Respondents
	}
	if n := door(); n != 3 {
		t.Fatalf("door-to-door respondents after the sync: got %d, want 3", n)
	}

	// Replay the whole sync, as a phone that lost the replies would.
	replay := run(t, ctx, chromedp.Evaluate[[]string](`(async () => {
		const db = await new Promise((ok, fail) => { const r = indexedDB.open("minyi-v"); r.onsuccess = () => ok(r.result); r.onerror = fail; });
		const sent = await new Promise((ok) => { const r = db.transaction("sent").objectStore("sent").getAll(); r.onsuccess = () => ok(r.result); });
		const me = await (await fetch("/api/v1/me")).json();
		const out = [];
		for (const e of sent) {
			const res = await fetch("/api/v1/responses", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf }, body: JSON.stringify(e.body) });
			out.push(res.status + " " + (await res.json()).replayed);
		}
		return out;
	})()`, chromedp.EvalAwaitPromise))
	if strings.Join(replay, ",") != "200 true,200 true,200 true" {
		t.Errorf("replayed sync: got %v, want three 200 replays", replay)
	}
	if n := door(); n != 3 {
		t.Errorf("door-to-door respondents after the replay: got %d, want 3", n)
	}
	if got := e.count(`SELECT count(*) FROM visits WHERE outcome = 'completed' AND household LIKE '6-1-%'`); got != 3 {
		t.Errorf("completed visits: got %d, want 3", got)
	}
	// A household done is announced before the volunteer starts it again.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#key"), "6-1-101"),
		chromedp.Click(chromedp.CSS("#key-go")),
		chromedp.WaitVisible(chromedp.CSS("#visit-warn")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !run(t, ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS("#start"), "disabled")) {
		t.Errorf("开始问卷 for a household done: got enabled, want disabled")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS("#key"))); err != nil {
		t.Fatal(err)
	}

	// A household another surveyor completed while the phone was offline: its entry is
	// refused and stays in the queue with the reason.
	offline(t, ctx, true)
	waitFor(t, ctx, "offline again", `document.getElementById("net").textContent === "离线"`, 10*time.Second)
	enterHousehold(t, ctx, e, "6-1-404")
	paper := doorToDoor(e.def, community1, "6-1-404")
	paper["channel"] = "paper"
	if res, body := e.do("POST", "/api/v1/responses", paper, e.auth()...); res.StatusCode != 201 {
		t.Fatalf("paper questionnaire of 6-1-404: got %d %v", res.StatusCode, body)
	}
	offline(t, ctx, false)
	waitFor(t, ctx, "the refused entry", `[...document.querySelectorAll("#queue li.refused .state")].some((e) => e.textContent.includes("该户本轮已完成问卷"))`, 60*time.Second)
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#pending"))); got != "1" {
		t.Errorf("queue after a refusal: got %s, want 1", got)
	}
	if n := door(); n != 3 {
		t.Errorf("door-to-door respondents after the refusal: got %d, want 3", n)
	}

	// The only errors: the requests the app tried while the network was cut, and the
	// refusal of 6-1-404.
	for _, p := range problems() {
		if !strings.Contains(p, "net::ERR_INTERNET_DISCONNECTED") && !strings.Contains(p, "status of 409") {
			t.Errorf("browser console: got %q, want no errors but failed requests while offline", p)
		}
	}
}

// TestVolunteerAppHouseholdList walks a community's household list: one tap on 下一户
// opens the next household not visited yet, outcomes without answers are recorded,
// and the list shows where each household stands.
func TestVolunteerAppHouseholdList(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	file := "area_code,building,unit,room,key\n" + community1 + ",1,1,101,\n" + community1 + ",1,1,102,\n" + community1 + ",1,1,103,\n"
	if res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(file), false, e.auth()...); res.StatusCode != 200 {
		t.Fatalf("households: %d %v", res.StatusCode, body)
	}
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.http.URL+"/v/"),
		signInAs("vol1"),
		chromedp.WaitVisible(chromedp.CSS(`button[data-key="1-1-101"]`)),
		chromedp.Click(chromedp.CSS(`button[data-key="1-1-101"]`)),
		chromedp.WaitVisible(chromedp.CSS("#start")),
		chromedp.Click(chromedp.CSS("#start")),
		chromedp.WaitVisible(chromedp.CSS("#survey fieldset")),
	)
	if err != nil {
		t.Fatal(err)
	}
	var clicks []chromedp.Action[chromedp.Void]
	for _, q := range e.def.Questions {
		if q.Required {
			clicks = append(clicks, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%s input[value="%s"]`, q.ID, q.Options[0].ID))))
		}
	}
	clicks = append(clicks, chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#next")), chromedp.Click(chromedp.CSS("#next")),
		chromedp.WaitVisible(chromedp.CSS("#start")))
	if err := chromedp.Do(ctx, clicks...); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#view h2"))); got != "住户 1-1-102" {
		t.Errorf("after 下一户: got %q, want 住户 1-1-102", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-outcome="not_home"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "住户 1-1-103 after 不在家", `document.querySelector("#view h2").textContent === "住户 1-1-103"`, 10*time.Second)
	waitFor(t, ctx, "the queue to drain", `document.getElementById("pending").textContent === "0"`, 60*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS(`button[data-key="1-1-101"]`))); err != nil {
		t.Fatal(err)
	}
	badges := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#households .badge")].map((b) => b.textContent)`))
	if strings.Join(badges, ",") != "已完成,不在家,未走访" {
		t.Errorf("badges: got %v, want 已完成, 不在家, 未走访", badges)
	}
	if got := e.count(`SELECT count(*) FROM visits WHERE household IN ('1-1-101', '1-1-102')`); got != 2 {
		t.Errorf("visits logged: got %d, want 2", got)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
