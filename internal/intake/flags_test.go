package intake

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/internal/config"
)

// TestResidentFlags: answers sent sooner than MINYI_MIN_FILL after the form was
// served are too_fast; beyond MINYI_FLAG_PER_NET answers for one area from one network
// (IPv4 /24, IPv6 /64) in an hour are net_burst. Flagged answers are stored pending
// and not queued for counting; the entry is taken either way.
func TestResidentFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.MinFill, c.Flags.PerNet = 30*time.Second, 3 })
	ctx := context.Background()
	for i, tc := range []struct {
		code, ip string
		fill     time.Duration
		want     []string
	}{
		{community1, "10.1.2.1", 5 * time.Second, []string{TooFast}},
		{community1, "10.1.2.2", 31 * time.Second, nil},
		{community1, "10.1.2.3", 2 * time.Minute, nil},
		{community1, "10.1.2.200", 40 * time.Second, []string{NetBurst}}, // 4th from 10.1.2.0/24
		{community1, "10.1.2.9", time.Second, []string{TooFast, NetBurst}},
		{community1, "10.1.3.1", time.Minute, nil}, // another /24
		{community2, "10.1.2.4", time.Minute, nil}, // another area
		{community1, "2001:db8:1:2::1", time.Minute, nil},
		{community1, "2001:db8:1:2::2", time.Minute, nil},
		{community1, "2001:db8:1:2:ffff::3", time.Minute, nil},
		{community1, "2001:db8:1:2:aaaa::4", time.Minute, []string{NetBurst}}, // 4th from the /64
		{community1, "2001:db8:1:3::1", time.Minute, nil},
		{community1, "::ffff:10.1.2.77", time.Minute, []string{NetBurst}}, // IPv4 in IPv6 is IPv4
	} {
		en := e.resident(tc.code, "device-"+tc.ip, tc.ip)
		e.wait(tc.fill)
		res, err := e.in.Take(ctx, en)
		e.wait(-tc.fill)
		if err != nil {
			t.Fatalf("%d (%s): %v", i, tc.ip, err)
		}
		if !slices.Equal(res.Flags, tc.want) {
			t.Errorf("%d (%s after %v): got flags %v, want %v", i, tc.ip, tc.fill, res.Flags, tc.want)
		}
		var status string
		var flags []string
		var queued bool
		err = e.pool.QueryRow(ctx, `SELECT status, flags, EXISTS (SELECT 1 FROM uncounted u WHERE u.response_id = r.id)
			FROM responses r WHERE id = $1`, res.ID).Scan(&status, &flags, &queued)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus := "counted"
		if len(tc.want) > 0 {
			wantStatus = "pending"
		}
		if status != wantStatus || !slices.Equal(flags, tc.want) || queued != (wantStatus == "counted") {
			t.Errorf("%d (%s): stored %s %v queued %v, want %s %v queued %v", i, tc.ip, status, flags, queued,
				wantStatus, tc.want, wantStatus == "counted")
		}
	}
}

// TestClientLimits: the per-IP budget counts an IPv6 client by its /64.
func TestClientLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.MinFill, c.Limits.PerIP = 0, 2 })
	ctx := context.Background()
	for i, tc := range []struct {
		ip      string
		limited bool
	}{
		{"2001:db8:9:9::1", false},
		{"2001:db8:9:9::2", false},
		{"2001:db8:9:9:1234::3", true},
		{"2001:db8:9:a::1", false},
		{"192.0.2.1", false},
		{"192.0.2.1", false},
		{"192.0.2.1", true},
		{"192.0.2.2", false}, // IPv4: per address
	} {
		_, err := e.in.Take(ctx, e.resident(community1, "device-"+strings.Repeat("x", i), tc.ip))
		_, limited := err.(*LimitError)
		if limited != tc.limited || (err != nil && !limited) {
			t.Errorf("%d (%s): got %v, want limited %v", i, tc.ip, err, tc.limited)
		}
	}
}

func TestNetworkKeys(t *testing.T) {
	for _, tc := range []struct {
		ip, client, network string
	}{
		{"203.0.113.77", "203.0.113.77/32", "203.0.113.0/24"},
		{"::ffff:203.0.113.77", "203.0.113.77/32", "203.0.113.0/24"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64", "2001:db8:1:2::/64"},
		{"", "unknown", "unknown"},
	} {
		ip, _ := netip.ParseAddr(tc.ip)
		if got := ClientKey(ip); got != tc.client {
			t.Errorf("ClientKey(%s): got %s, want %s", tc.ip, got, tc.client)
		}
		if got := networkKey(ip); got != tc.network {
			t.Errorf("networkKey(%s): got %s, want %s", tc.ip, got, tc.network)
		}
	}
}
