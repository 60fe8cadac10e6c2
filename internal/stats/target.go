package stats

// TargetStatus says how a figure stands against its target, allowing for its
// interval: met (达标) when the whole interval is at or above the target, not_met
// (未达标) when it is wholly below, uncertain (与目标无显著差异) otherwise.
type TargetStatus string

const (
	Met       TargetStatus = "met"
	NotMet    TargetStatus = "not_met"
	Uncertain TargetStatus = "uncertain"
)

// Label is the status as the dashboard and the bulletin print it.
func (t TargetStatus) Label() string {
	switch t {
	case Met:
		return "达标"
	case NotMet:
		return "未达标"
	case Uncertain:
		return "与目标无显著差异"
	}
	return "—"
}

// Status compares an interval with a target: met when low ≥ target, not_met when
// high < target, else uncertain. A small sample is never met: it is uncertain unless
// its interval lies wholly below the target.
func Status(low, high, target float64, small bool) TargetStatus {
	switch {
	case high < target:
		return NotMet
	case low >= target && !small:
		return Met
	}
	return Uncertain
}
