package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
	"time"

	"minyi/internal/config"
)

// defaultFlags are the service's default flags, not the handler tests' relaxed ones.
func defaultFlags() config.Flags {
	return config.Flags{MinFill: 30 * time.Second, PerNet: 20, EntryPerHour: 30, FormTokenTTL: 24 * time.Hour}
}

// loopbackClient is an HTTP client whose connections leave from the given loopback
// address, so that the server sees each such client as another IP (and all of them in
// one /24 network).
func loopbackClient(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// TestStuffing: a script that sends answers for one community from 150 loopback
// addresses, the three ways a script can, moves no counted figure: without a token it
// is refused; fetching a form for each answer, its answers come too fast and too many
// from one network, and are held for review; a token used twice is refused.
func TestStuffing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.Flags = defaultFlags() })
	post := func(client *http.Client, body map[string]any, headers ...string) int {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/responses", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	statuses := map[string]map[int]int{"no token": {}, "fresh form": {}, "token reused": {}}
	clients := make([]*http.Client, 150)
	var first map[string]any
	var firstCookie string
	for i := range clients {
		client := loopbackClient(fmt.Sprintf("127.0.0.%d", 2+i))
		clients[i] = client
		statuses["no token"][post(client, newSubmission(community1, fullAnswers(e.def)))]++

		res, err := client.Get(e.http.URL + "/s/chuangwen/" + community1)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := formTokenInput.FindSubmatch(page)
		if m == nil {
			t.Fatalf("client %d: form without a token (%d)", i, res.StatusCode)
		}
		sub := newSubmission(community1, fullAnswers(e.def))
		sub["form_token"] = string(m[1])
		statuses["fresh form"][post(client, sub)]++
		if first == nil {
			u, _ := url.Parse(e.http.URL)
			for _, ck := range client.Jar.Cookies(u) {
				if ck.Name == deviceCookie {
					firstCookie = ck.Name + "=" + ck.Value
				}
			}
			first = sub
		}
	}
	// The first token and its device cookie, copied to every other address.
	for _, client := range clients[1:] {
		again := withFields(newSubmission(community1, fullAnswers(e.def)), map[string]any{"form_token": first["form_token"]})
		statuses["token reused"][post(client, again, "Cookie", firstCookie)]++
	}
	for _, tc := range []struct {
		way  string
		want map[int]int
	}{
		{"no token", map[int]int{403: 150}},
		{"fresh form", map[int]int{201: 150}}, // told nothing of the flags
		{"token reused", map[int]int{403: 149}},
	} {
		if fmt.Sprint(statuses[tc.way]) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got statuses %v, want %v", tc.way, statuses[tc.way], tc.want)
		}
	}
	if got := e.respondents(district); got != 0 {
		t.Errorf("counted respondents: got %d, want 0", got)
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{`SELECT count(*) FROM responses WHERE status = 'pending' AND 'too_fast' = ANY (flags)`, 150},
		{`SELECT count(*) FROM responses WHERE status = 'pending' AND 'net_burst' = ANY (flags)`, 130},
		{`SELECT count(*) FROM responses WHERE status = 'counted'`, 0},
		{`SELECT count(*) FROM uncounted`, 0},
	} {
		if got := e.count(tc.query); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.query, got, tc.want)
		}
	}
}
