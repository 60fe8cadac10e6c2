package stats

import "math"

// Change is how a rate moved between two rounds: the difference now − before with
// its 95% interval (Newcombe's hybrid score interval, method 10 of Newcombe 1998).
// Every field is nil when either round has no valid answer: nothing can be compared
// (无法比较).
type Change struct {
	Diff        *float64 `json:"diff"`
	Low         *float64 `json:"low"`
	High        *float64 `json:"high"`
	Significant *bool    `json:"significant"` // the interval excludes 0
}

// Compare returns the change from positive1/n1 (before) to positive2/n2 (now):
// with Wilson limits (l1,u1) and (l2,u2) and d = p2 − p1, low = d − √((p2−l2)² +
// (u1−p1)²) and high = d + √((u2−p2)² + (p1−l1)²).
func Compare(positive2, n2, positive1, n1 int) Change {
	l1, u1, ok1 := Wilson(positive1, n1)
	l2, u2, ok2 := Wilson(positive2, n2)
	if !ok1 || !ok2 {
		return Change{}
	}
	p1, p2 := float64(positive1)/float64(n1), float64(positive2)/float64(n2)
	d := p2 - p1
	low := d - math.Sqrt((p2-l2)*(p2-l2)+(u1-p1)*(u1-p1))
	high := d + math.Sqrt((u2-p2)*(u2-p2)+(p1-l1)*(p1-l1))
	significant := low > 0 || high < 0
	return Change{Diff: &d, Low: &low, High: &high, Significant: &significant}
}

// Label is how the change's significance is printed: 显著, 不显著, or 无法比较 when
// either round has no valid answer.
func (c Change) Label() string {
	switch {
	case c.Significant == nil:
		return "无法比较"
	case *c.Significant:
		return "显著"
	}
	return "不显著"
}
