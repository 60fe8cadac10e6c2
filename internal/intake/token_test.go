package intake

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"minyi/internal/config"
	"minyi/internal/survey"
)

// TestFormToken: a resident's response needs a token issued to the same device for the
// same form, used once, within its lifetime; nothing is stored without one.
func TestFormToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.MinFill = 0 })
	ctx := context.Background()
	used := e.resident(community1, "device-used", "10.0.0.1")
	if _, err := e.in.Take(ctx, used); err != nil {
		t.Fatalf("first use: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Entry)
		want   error
	}{
		{"missing", func(en *Entry) { en.FormToken = "" }, ErrFormToken},
		{"garbage", func(en *Entry) { en.FormToken = "a.b.c" }, ErrFormToken},
		{"too long", func(en *Entry) { en.FormToken = strings.Repeat("a", 500) }, ErrFormToken},
		{"signature altered", func(en *Entry) { en.FormToken = en.FormToken[:len(en.FormToken)-1] + "0" }, ErrFormToken},
		{"other area", func(en *Entry) { en.FormToken = e.in.FormToken(e.def.ID, community2, en.Identity) }, ErrFormToken},
		{"other device", func(en *Entry) { en.Identity = "device-other" }, ErrFormToken},
		{"other survey", func(en *Entry) { en.FormToken = e.in.FormToken("other", community1, en.Identity) }, ErrFormToken},
		{"used for another response", func(en *Entry) { en.Identity, en.FormToken = used.Identity, used.FormToken }, survey.ErrFormTokenUsed},
		{"valid", func(*Entry) {}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			en := e.resident(community1, "device-"+tc.name, "10.0.1.1")
			tc.change(&en)
			_, err := e.in.Take(ctx, en)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	// The same submission again is a replay of the first, not a second use.
	res, err := e.in.Take(ctx, used)
	if err != nil || !res.Replayed {
		t.Errorf("retry: got %+v, %v; want a replay", res, err)
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 2 {
		t.Errorf("responses: got %d, want 2 (the first and the valid one)", got)
	}
}

// TestFormTokenLifetime: a token is good for its lifetime, not before it was issued.
func TestFormTokenLifetime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.MinFill, c.Flags.FormTokenTTL = 0, 24*time.Hour })
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		age  time.Duration // how long before the submission the token was issued
		want error
	}{
		{"fresh", time.Second, nil},
		{"a day less a minute", 24*time.Hour - time.Minute, nil},
		{"expired", 24*time.Hour + time.Minute, ErrFormToken},
		{"issued in the future", -10 * time.Minute, ErrFormToken},
	} {
		en := e.resident(community1, "device-"+tc.name, "10.0.0.1")
		e.wait(tc.age)
		_, err := e.in.Take(ctx, en)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
		e.wait(-tc.age)
	}
}

// TestSameSite: a resident's submission must come from the service's own pages.
func TestSameSite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		origin, referer string
		want            bool
	}{
		{"https://minyi.example.cn", "", true},
		{"https://MINYI.example.cn", "", true},
		{"", "https://minyi.example.cn/s/chuangwen/990100001001", true},
		{"", "", true}, // not a browser's cross-site post; the token still has to hold
		{"https://evil.example", "", false},
		{"http://minyi.example.cn", "", false},
		{"https://minyi.example.cn:8443", "", false},
		{"null", "", false},
		{"", "https://evil.example/minyi.example.cn", false},
		{"https://evil.example", "https://minyi.example.cn/s/x/y", false},
	} {
		if got := sameSite(tc.origin, tc.referer, baseURL); got != tc.want {
			t.Errorf("sameSite(%q, %q): got %v, want %v", tc.origin, tc.referer, got, tc.want)
		}
	}
}
