package web

import (
	"cmp"
	"slices"

	"minyi/internal/stats"
)

// bottomSize is how many places at the foot of a ranking raise an alert when an area
// stays there two rounds in a row.
const bottomSize = 3

// rankable reports whether a figure takes part in rankings: small samples and
// undefined rates never do.
func rankable(r stats.Result) bool { return !r.SmallSample && r.Rate != nil }

// ranks gives every rankable figure its place, 1 for the highest rate; equal rates
// share a place (1, 2, 2, 4). The others get nil.
func ranks(results []stats.Result) []*int {
	order := rankedOrder(results)
	out := make([]*int, len(results))
	for k, i := range order {
		place := k + 1
		if k > 0 && *results[order[k-1]].Rate == *results[i].Rate {
			place = *out[order[k-1]]
		}
		out[i] = &place
	}
	return out
}

// atBottom reports, for each figure, whether it is among the bottomSize lowest of the
// rankable ones: fewer than bottomSize rankable figures are lower than it, and some
// are higher (when all are equal nobody lags). When no more than bottomSize figures
// are rankable nothing is at the bottom: a ranking of three says nothing about who
// lags.
func atBottom(results []stats.Result) []bool {
	order := rankedOrder(results)
	out := make([]bool, len(results))
	if len(order) <= bottomSize {
		return out
	}
	top := *results[order[0]].Rate
	lower := 0 // rankable figures strictly lower than the current one
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		if k < len(order)-1 && *results[order[k+1]].Rate != *results[i].Rate {
			lower = len(order) - 1 - k
		}
		out[i] = lower < bottomSize && *results[i].Rate < top
	}
	return out
}

// rankedOrder lists the indices of the rankable figures, highest rate first.
func rankedOrder(results []stats.Result) []int {
	var order []int
	for i, r := range results {
		if rankable(r) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(*results[b].Rate, *results[a].Rate) })
	return order
}
