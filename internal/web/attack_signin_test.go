package web

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"minyi/internal/account"
	"minyi/internal/config"
	"minyi/internal/store"
)

// loginEvents are the audit events of sign-in attempts (login.*).
func loginEvents(t *testing.T, e *testEnv) []store.AuditEvent {
	t.Helper()
	events, err := e.store.AuditEvents(context.Background(), store.AuditFilter{Action: "login.", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// TestAttackSignInAuditBounded floods the sign-in form without an account: the audit
// log keeps one row per limited key and window, each with a username of at most 64
// characters.
func TestAttackSignInAuditBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, func(c *config.Config) { c.Limits.LoginPerUser, c.Limits.LoginPerIP = 5, 20 })
	c := e.anonClient()
	huge := strings.Repeat("a", 14000) + strings.Repeat("用", 100) // 15 KB: as much as the form takes
	for i := range 10 {
		if res, _ := c.login(huge, "x"); res.StatusCode != 401 && res.StatusCode != 429 {
			t.Fatalf("attempt %d: got %d, want 401 or 429", i+1, res.StatusCode)
		}
	}
	for i := range 30 {
		if res, _ := c.login("guess"+strings.Repeat("x", i), "x"); res.StatusCode != 401 && res.StatusCode != 429 {
			t.Fatalf("attempt %d: got %d, want 401 or 429", i+1, res.StatusCode)
		}
	}
	events := loginEvents(t, e)
	count := map[string]int{}
	for _, ev := range events {
		count[ev.Action]++
		if n := utf8.RuneCountInString(ev.Username); n > maxAuditName {
			t.Errorf("%s: username of %d characters, want at most %d", ev.Action, n, maxAuditName)
		}
		if n := utf8.RuneCountInString(ev.Target); n > maxAuditName {
			t.Errorf("%s: target of %d characters, want at most %d", ev.Action, n, maxAuditName)
		}
	}
	// 40 attempts from one address, each spending the address's budget of 20: the
	// huge name is refused 5 times (its own budget), audited once, then limited 5
	// times, audited once; 10 other names are refused, each audited once; the other
	// 20 are limited by the address, audited once.
	want := map[string]int{"login.failed": 11, "login.limited": 2}
	for action, n := range want {
		if count[action] != n {
			t.Errorf("%s events: got %d, want %d (all: %v)", action, count[action], n, count)
		}
	}
	if len(events) != 13 {
		t.Errorf("login events: got %d, want 13", len(events))
	}
}

// TestSignInComparesPasswordFirst checks that every refusal compares the password
// with a bcrypt hash, a stand-in one for an unknown account, so that no refusal is
// quicker than a wrong password.
func TestSignInComparesPasswordFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	newUser(t, e.store, "jd1", account.Official, street1)
	gone := newUser(t, e.store, "gone", account.Volunteer, "")
	off := true
	if _, err := e.store.UpdateUser(context.Background(), gone.Username, store.UserChange{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var hashes []string
	e.srv.samePassword = func(hash, pw string) bool {
		mu.Lock()
		hashes = append(hashes, hash)
		mu.Unlock()
		return account.SamePassword(hash, pw)
	}
	for _, tc := range []struct {
		name, username, password string
		status                   int
		dummy                    bool // compared with the stand-in hash
	}{
		{"wrong password", "jd1", "wrong password", 401, false},
		{"disabled account, right password", "gone", testPassword, 401, false},
		{"disabled account, wrong password", "gone", "wrong password", 401, false},
		{"unknown account", "nobody", testPassword, 401, true},
		{"right password", "jd1", testPassword, 303, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			hashes = nil
			mu.Unlock()
			res, _ := e.anonClient().login(tc.username, tc.password)
			if res.StatusCode != tc.status {
				t.Errorf("got %d, want %d", res.StatusCode, tc.status)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(hashes) != 1 {
				t.Fatalf("password comparisons: got %d, want 1", len(hashes))
			}
			if got := hashes[0] == account.DummyHash; got != tc.dummy {
				t.Errorf("compared with the stand-in hash: got %v, want %v", got, tc.dummy)
			}
			if !strings.HasPrefix(hashes[0], "$2a$11$") {
				t.Errorf("compared with %q, want a bcrypt hash", hashes[0])
			}
		})
	}
}

func TestClientNet(t *testing.T) {
	for _, tc := range []struct{ ip, want string }{
		{"203.0.113.7", "203.0.113.0/24"},
		{"::ffff:203.0.113.7", "203.0.113.0/24"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"not an address", "not an address"},
	} {
		if got := clientNet(tc.ip); got != tc.want {
			t.Errorf("clientNet(%q): got %q, want %q", tc.ip, got, tc.want)
		}
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"文明城市", 2, "文明"},
		{"", 2, ""},
	} {
		if got := clip(tc.s, tc.n); got != tc.want {
			t.Errorf("clip(%q, %d): got %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}
