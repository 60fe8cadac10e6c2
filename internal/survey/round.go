package survey

import (
	"fmt"
	"strings"
	"time"
)

// DefaultRoundName names a round opened at t after its month and its number in the
// month, e.g. 2026年11月第2轮 (plans ask for a round at least twice a month): the
// number after the highest of the month's names in taken, and at least 2 in the
// second half of the month. t should be in the service's time zone.
func DefaultRoundName(t time.Time, taken []string) string {
	n := 1
	if t.Day() > 15 {
		n = 2
	}
	month := fmt.Sprintf("%d年%d月第", t.Year(), t.Month())
	for _, name := range taken {
		var k int
		if rest, ok := strings.CutPrefix(name, month); ok {
			if _, err := fmt.Sscanf(rest, "%d轮", &k); err == nil && k >= n {
				n = k + 1
			}
		}
	}
	return fmt.Sprintf("%s%d轮", month, n)
}
