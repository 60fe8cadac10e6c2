package stats

// AlertKind names why an area is alerted.
type AlertKind string

const (
	// BelowTwice: below its siblings (显著低于同级) in this round and the one before.
	BelowTwice AlertKind = "below_twice"
	// LastTwice: strictly last by shrunk rate among two or more ranked siblings in
	// this round and the one before.
	LastTwice AlertKind = "last_twice"
)

// Label is the alert as the dashboard and the bulletin print it.
func (k AlertKind) Label() string {
	if k == BelowTwice {
		return "连续两轮显著低于同级"
	}
	return "连续两轮同级末位"
}

// Alert is one sibling alerted, by its index in both rankings.
type Alert struct {
	Index int
	Kind  AlertKind
}

// Alerts compares two rankings of the same siblings (index i is the same area in
// both) and returns the alerts, by sibling then kind.
func Alerts(now, before Ranking) []Alert {
	var out []Alert
	lastNow, lastBefore := strictlyLast(now), strictlyLast(before)
	for i := range now.Standings {
		if i >= len(before.Standings) {
			break
		}
		a, b := now.Standings[i], before.Standings[i]
		if a.Ranked && b.Ranked && a.Tier == Below && b.Tier == Below {
			out = append(out, Alert{i, BelowTwice})
		}
		if i == lastNow && i == lastBefore {
			out = append(out, Alert{i, LastTwice})
		}
	}
	return out
}

// strictlyLast is the index of the sibling with the lowest shrunk rate, when at least
// two are ranked and no other shares it; else -1. Last is by shrunk rate alone, tier
// aside.
func strictlyLast(r Ranking) int {
	if len(r.Order) < 2 {
		return -1
	}
	last, tied := -1, false
	for _, i := range r.Order {
		switch {
		case last < 0 || r.Standings[i].Shrunk < r.Standings[last].Shrunk:
			last, tied = i, false
		case r.Standings[i].Shrunk == r.Standings[last].Shrunk:
			tied = true
		}
	}
	if tied {
		return -1
	}
	return last
}
