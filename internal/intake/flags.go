package intake

import (
	"context"
	"net/netip"
	"strconv"
	"time"

	"minyi/internal/ratelimit"
)

// The flags that hold a response for review (pending, not counted until accepted).
const (
	// TooFast: a resident's form came back sooner after the page was served than
	// anyone reads and answers it (MINYI_MIN_FILL).
	TooFast = "too_fast"
	// NetBurst: more resident answers for one area from one network within an hour
	// than MINYI_FLAG_PER_NET; the excess is flagged.
	NetBurst = "net_burst"
	// EntryBurst: a signed-in entrant's entries beyond MINYI_FLAG_ENTRY_PER_HOUR
	// within an hour, each row of a paper file counted.
	EntryBurst = "entry_burst"
	// UnlistedHousehold: a door-to-door or paper answer for a household not on the
	// area's list, when the area has one.
	UnlistedHousehold = "unlisted_household"
)

// residentFlags are the flags of a resident's answer for an area from ip, on a form
// served at issued.
func (in *Intake) residentFlags(ctx context.Context, areaCode string, ip netip.Addr, issued, now time.Time) []string {
	var flags []string
	if in.flags.MinFill > 0 && now.Sub(issued) < in.flags.MinFill {
		flags = append(flags, TooFast)
	}
	// Counted per area and network under a keyed hash, so that Redis never holds an
	// address; a leaky bucket of PerNet an hour lets PerNet through at once, then one
	// every hour/PerNet.
	net := in.key.Sum("net-burst", areaCode+"\x00"+networkKey(ip))
	if !in.limiter.Allow(ctx, "flag:net:"+net, ratelimit.PerHour(in.flags.PerNet)).Allowed {
		flags = append(flags, NetBurst)
	}
	return flags
}

// entryBursts counts n entries of an entrant and returns how many of them, the last
// ones, are beyond the hour's allowance.
func (in *Intake) entryBursts(ctx context.Context, userID int64, n int) int {
	ok := in.limiter.AllowAtMost(ctx, "flag:entry:"+strconv.FormatInt(userID, 10), ratelimit.PerHour(in.flags.EntryPerHour), n)
	return n - ok
}

// unlisted returns the keys, of those given, that are not on the area's household
// list; none when the area has no list.
func (in *Intake) unlisted(ctx context.Context, areaID int64, keys []string) (map[string]bool, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return in.store.Unlisted(ctx, areaID, keys)
}

// limit spends one unit of the per-minute budget of kind (ip, form, user) for key.
func (in *Intake) limit(ctx context.Context, kind, key string, perMinute, n int) error {
	d := in.limiter.AllowN(ctx, kind+":"+key, ratelimit.PerMinute(perMinute), n)
	if d.Allowed {
		return nil
	}
	return &LimitError{Kind: kind, RetryAfter: d.RetryAfter}
}
