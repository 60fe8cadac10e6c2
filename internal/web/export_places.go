package web

import (
	"math"
	"sort"

	"minyi/internal/survey"
)

// headlineIndexes are the positions of the headline indicators in a survey's list.
func headlineIndexes(inds []survey.Indicator) []int {
	var out []int
	for i, ind := range inds {
		if ind.Headline {
			out = append(out, i)
		}
	}
	return out
}

// placesOf ranks the rows by their rate of indicator i, highest first, as the
// dashboard does: rates equal to 0.1% share a place (1, 2, 2, 4); a row without a
// rate or with a small sample is not ranked ("—").
// The places come back in the rows' order, as spreadsheet cells.
func placesOf(rows []indicatorRow, i int) []any {
	type entry struct {
		row    int
		tenths float64
	}
	var ranked []entry
	out := make([]any, len(rows))
	for k, r := range rows {
		out[k] = "—"
		res := r.Indicators[i]
		if res.Rate == nil || res.SmallSample {
			continue
		}
		ranked = append(ranked, entry{k, math.Floor(*res.Rate*1000 + 0.5)})
	}
	sort.SliceStable(ranked, func(a, b int) bool { return ranked[a].tenths > ranked[b].tenths })
	for n, e := range ranked {
		place := n + 1
		if n > 0 && e.tenths == ranked[n-1].tenths {
			place = out[ranked[n-1].row].(int)
		}
		out[e.row] = place
	}
	return out
}
