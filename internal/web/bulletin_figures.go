package web

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"minyi/internal/stats"
	"minyi/internal/store"
)

// bestAndWorst ranks the communities by one indicator, small samples left out, and
// names the best and the worst few; never the same community twice, and none as
// worst that is level with the best.
func bestAndWorst(units []indicatorRow, i int) (best, worst []bulletinFigure) {
	var ranked []indicatorRow
	for _, u := range units {
		if r := u.Indicators[i]; !r.SmallSample && r.Rate != nil {
			ranked = append(ranked, u)
		}
	}
	slices.SortStableFunc(ranked, func(a, b indicatorRow) int {
		ra, rb := a.Indicators[i], b.Indicators[i]
		return cmp.Or(cmp.Compare(*rb.Rate, *ra.Rate), cmp.Compare(rb.Valid, ra.Valid), strings.Compare(a.Area.Code, b.Area.Code))
	})
	nb, nw := min(bulletinTop, (len(ranked)+1)/2), min(bulletinTop, len(ranked)/2)
	for _, u := range ranked[:nb] {
		best = append(best, figureOf(u.Area.Name, u.Indicators[i]))
	}
	for k := len(ranked) - 1; k >= len(ranked)-nw; k-- {
		if *ranked[k].Indicators[i].Rate == *ranked[0].Indicators[i].Rate {
			break // level with the best: nobody is worse
		}
		worst = append(worst, figureOf(ranked[k].Area.Name, ranked[k].Indicators[i]))
	}
	return best, worst
}

// belowTarget lists every figure of a community below its target, by indicator in
// the survey's order (headline indicators first), lowest rate first. Small samples
// are not listed: they are noted apart.
func belowTarget(units []indicatorRow) []bulletinFigure {
	type item struct {
		order int
		rate  float64
		f     bulletinFigure
	}
	var items []item
	for _, u := range units {
		for i, r := range u.Indicators {
			if r.SmallSample || r.MeetsTarget == nil || *r.MeetsTarget {
				continue
			}
			order := i
			if !r.Headline {
				order += len(u.Indicators)
			}
			items = append(items, item{order, *r.Rate, figureOf(u.Area.Name, r)})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.rate, b.rate))
	})
	out := make([]bulletinFigure, len(items))
	for i, it := range items {
		out[i] = it.f
	}
	return out
}

func figureOf(place string, r stats.Result) bulletinFigure {
	f := bulletinFigure{Area: place, Indicator: r.Name, Rate: pct(r.Rate), Target: pct(r.Target), N: r.Valid,
		Interval: "—", Gap: "—", Small: r.SmallSample, Below: r.MeetsTarget != nil && !*r.MeetsTarget}
	if r.CILow != nil {
		f.Interval = pct(r.CILow) + "–" + pct(r.CIHigh)
	}
	if r.Rate != nil && r.Target != nil {
		f.Gap = points(*r.Rate - *r.Target)
	}
	return f
}

func changeOf(now, before stats.Result) *bulletinChange {
	c, ok := stats.Compare(now.Positive, now.Valid, before.Positive, before.Valid)
	if !ok {
		return &bulletinChange{Before: pct(before.Rate), After: pct(now.Rate), Delta: "—", P: "无法检验"}
	}
	p := fmt.Sprintf("p=%.3f", c.P)
	if c.P < 0.001 {
		p = "p<0.001"
	}
	return &bulletinChange{Before: pct(before.Rate), After: pct(now.Rate), Delta: points(c.Delta),
		Significant: c.Significant, P: p}
}

// pct prints a rate as a percentage with one decimal, or "—" when undefined.
func pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

// points prints a difference of rates in percentage points, with its sign.
func points(d float64) string {
	return fmt.Sprintf("%+.1f个百分点", d*100)
}

func smallMark(r stats.Result) string {
	if r.SmallSample && r.Rate != nil {
		return "（样本不足）"
	}
	return ""
}

// bulletinTitle names the bulletin after the survey: 创建全国文明城市群众满意度模拟问卷
// gives 创建全国文明城市群众满意度模拟测评通报（第N期）.
func bulletinTitle(surveyTitle string, n int) string {
	name, ok := strings.CutSuffix(surveyTitle, "问卷")
	if ok {
		name += "测评通报"
	} else {
		name += "通报"
	}
	return fmt.Sprintf("%s（第%d期）", name, n)
}

func chineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// period is when the round ran, as dates.
func (s *Server) period(r store.Round) string {
	from := chineseDate(r.OpenedAt.In(s.cfg.Location))
	if r.ClosesAt == nil || r.ClosesAt.After(s.now()) {
		return from + "起（进行中）"
	}
	return from + "至" + chineseDate(r.ClosesAt.In(s.cfg.Location))
}
