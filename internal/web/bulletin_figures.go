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

// bulletinFigure is a rate as printed.
type bulletinFigure struct {
	Area, Indicator             string
	Rate, Interval, Target, Gap string
	N                           int
	Status                      stats.TargetStatus // "" without a target or a rate
	StatusLabel                 string
	Small                       bool
}

func figureOf(place string, r stats.Result) bulletinFigure {
	f := bulletinFigure{Area: place, Indicator: r.Name, Rate: r.RateText, Target: stats.PercentOf(r.Target),
		N: r.Valid, Interval: r.Interval(), Gap: "—", Small: r.SmallSample, StatusLabel: "—"}
	if r.TargetStatus != nil {
		f.Status, f.StatusLabel = *r.TargetStatus, r.TargetStatus.Label()
	}
	if t, ok := r.Tenths(); ok && r.Target != nil {
		f.Gap = stats.Points(t, stats.TenthsOf(*r.Target)) // the difference of the printed figures
	}
	return f
}

// bulletinTiers is how the communities stand on one indicator: those significantly
// above and below the pooled rate of all of them, in ranking order, and how many
// differ from it by no more than chance.
type bulletinTiers struct {
	P0           string
	K            string
	Above, Below []bulletinFigure
	Within       int
}

// tiersOf lays out a ranking of the communities' figures for the bulletin.
func tiersOf(names []string, results []stats.Result, rk stats.Ranking) bulletinTiers {
	t := bulletinTiers{P0: stats.PercentOf(rk.P0), K: fmt.Sprintf("%.1f", rk.K)}
	for _, i := range rk.Order {
		switch rk.Standings[i].Tier {
		case stats.Above:
			t.Above = append(t.Above, figureOf(names[i], results[i]))
		case stats.Below:
			t.Below = append(t.Below, figureOf(names[i], results[i]))
		default:
			t.Within++
		}
	}
	return t
}

// notMet lists every figure of a community whose interval lies wholly below its
// target, by indicator in the survey's order (headline indicators first), lowest
// rate first.
func notMet(names []string, rows [][]stats.Result) []bulletinFigure {
	type item struct {
		order int
		rate  float64
		f     bulletinFigure
	}
	var items []item
	for u, results := range rows {
		for i, r := range results {
			if r.TargetStatus == nil || *r.TargetStatus != stats.NotMet {
				continue
			}
			order := i
			if !r.Headline {
				order += len(results)
			}
			items = append(items, item{order, *r.Rate, figureOf(names[u], r)})
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

// bulletinChange is a change as printed: both printed rates, their difference, the
// Newcombe interval in points and the verdict.
type bulletinChange struct {
	Before, After, Delta, Interval, Label string
	Significant                           bool
}

func bulletinChangeOf(now, before stats.Result) *bulletinChange {
	c := changeOf(now, before)
	return &bulletinChange{Before: before.RateText, After: now.RateText, Delta: c.Text, Interval: c.Interval,
		Label: c.Label, Significant: c.Significant != nil && *c.Significant}
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
