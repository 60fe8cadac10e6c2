package web

import (
	"net/netip"

	"github.com/labstack/echo/v4"

	"minyi/internal/ratelimit"
)

// maxAuditName is how many characters of a claimed username a refusal records.
const maxAuditName = 64

// auditRefusal records a refused request that anyone may make without signing in
// (a failed or limited sign-in), at most once per loginWindow for each key: an
// unauthenticated flood must not grow the audit log without bound. The username is
// cut to maxAuditName characters. The once-per-window rule is kept by the rate
// limiter, so it holds per process while Redis is down.
func (s *Server) auditRefusal(c echo.Context, action, key, username string, detail map[string]any) {
	once := ratelimit.Limit{Rate: 1, Period: loginWindow, Burst: 1}
	if !s.limiter.Allow(c.Request().Context(), "audit:"+action+":"+key, once).Allowed {
		return
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["repeats_unrecorded_for"] = loginWindow.String()
	s.audit(c, nil, action, "", clip(username, maxAuditName), detail)
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// clientNet is the network a client address belongs to, as abuse is counted: the
// IPv4 /24 or the IPv6 /64; an address that does not parse stands for itself.
func clientNet(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	bits := 64
	if a.Unmap().Is4() {
		a, bits = a.Unmap(), 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}
