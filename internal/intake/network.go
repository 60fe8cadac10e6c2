package intake

import (
	"net/netip"
	"net/url"
	"strings"
)

// ClientKey is what per-client limits count: an IPv4 address, or the /64 of an IPv6
// one (a home or a phone gets a whole /64 and may use any address in it).
func ClientKey(ip netip.Addr) string {
	return prefix(ip, 32, 64)
}

// networkKey is the network net_burst counts: an IPv4 /24 or an IPv6 /64.
func networkKey(ip netip.Addr) string {
	return prefix(ip, 24, 64)
}

func prefix(ip netip.Addr, v4, v6 int) string {
	if !ip.IsValid() {
		return "unknown"
	}
	ip = ip.Unmap()
	bits := v6
	if ip.Is4() {
		bits = v4
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		return ip.String()
	}
	return p.String()
}

// sameSite reports whether a resident's submission comes from the service's own
// pages: the Origin header, or the Referer when there is no Origin, must name the
// origin of base. A request with neither is not a browser's cross-site post (browsers
// send Origin with every cross-origin POST); the form token still has to hold.
func sameSite(origin, referer, base string) bool {
	want := originOf(base)
	switch {
	case origin != "":
		return want != "" && originOf(origin) == want
	case referer != "":
		return want != "" && originOf(referer) == want
	}
	return true
}

// originOf is scheme://host[:port] of a URL, lower case; "" when it has none.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + strings.ToLower(u.Host)
}
