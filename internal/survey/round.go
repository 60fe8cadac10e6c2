package survey

import (
	"fmt"
	"time"
)

// DefaultRoundName names a round opened at t after its month and half of the month,
// e.g. 2026年11月第2轮 (plans ask for a round at least twice a month). t should be in
// the service's time zone.
func DefaultRoundName(t time.Time) string {
	half := 1
	if t.Day() > 15 {
		half = 2
	}
	return fmt.Sprintf("%d年%d月第%d轮", t.Year(), t.Month(), half)
}
