package store

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// writeCounters adds a batch's counter vectors to the daily tally vectors and, summed
// over days, to the rollup vectors: one row per cell touched in each, in key order.
// The places of f's vectors are first mapped to the slots of counter_slots, new
// (question, option) pairs getting the next slots.
func (f folded) writeCounters(ctx context.Context, tx pgx.Tx) error {
	if len(f.cells) == 0 {
		return nil
	}
	slots, err := slotsOf(ctx, tx, f.keys)
	if err != nil {
		return err
	}
	daily := make([]cellKey, 0, len(f.cells))
	byRound := map[cellKey][]int32{}
	for c, v := range f.cells {
		daily = append(daily, c)
		c.Day = time.Time{}
		byRound[c] = addVector(byRound[c], v)
	}
	rounds := make([]cellKey, 0, len(byRound))
	for c := range byRound {
		rounds = append(rounds, c)
	}
	for _, t := range []struct {
		cells  []cellKey
		counts map[cellKey][]int32
		sql    string
	}{
		{daily, f.cells, `/* Store.Fold tallies */
			INSERT INTO tally_vectors (round_id, area_id, channel, day, n)
			SELECT round_id, area_id, channel, day, n::integer[]
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::text[]) AS u(round_id, area_id, channel, day, n)
			ON CONFLICT (round_id, area_id, channel, day)
			DO UPDATE SET n = vector_add(tally_vectors.n, excluded.n)`},
		{rounds, byRound, `/* Store.Fold rollups */
			INSERT INTO rollup_vectors (round_id, area_id, channel, n)
			SELECT round_id, area_id, channel, n::integer[]
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::text[]) AS u(round_id, area_id, channel, day, n)
			ON CONFLICT (round_id, area_id, channel)
			DO UPDATE SET n = vector_add(rollup_vectors.n, excluded.n)`},
	} {
		slices.SortFunc(t.cells, compareCell)
		var (
			rs, as  []int64
			chs, ns []string
			days    []time.Time
			buf     []byte
		)
		for _, c := range t.cells {
			var ok bool
			if buf, ok = slotVector(buf[:0], t.counts[c], slots); !ok {
				continue // every count of the cell cancelled out
			}
			rs, as, chs, days, ns = append(rs, c.Round), append(as, c.Area), append(chs, c.Channel), append(days, c.Day), append(ns, string(buf))
		}
		if len(rs) == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, t.sql, rs, as, chs, days, ns); err != nil {
			return err
		}
	}
	return nil
}

// slotsOf returns the slot of each key, giving the keys that have none the next
// slots. The caller holds the fold lock, so no other transaction adds slots meanwhile.
func slotsOf(ctx context.Context, tx pgx.Tx, keys []countKey) ([]int, error) {
	questions, options := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		questions[i], options[i] = k.Question, k.Option
	}
	rows, _ := tx.Query(ctx, `/* Store.Fold slots */
		WITH want AS (
			SELECT question, option FROM unnest($1::text[], $2::text[]) AS u(question, option)
		), added AS (
			INSERT INTO counter_slots (question, option)
			SELECT w.question, w.option FROM want w
			WHERE NOT EXISTS (SELECT 1 FROM counter_slots s WHERE s.question = w.question AND s.option = w.option)
			ORDER BY 1, 2
			RETURNING slot, question, option
		)
		SELECT s.slot, s.question, s.option FROM counter_slots s JOIN want w USING (question, option)
		UNION ALL
		SELECT slot, question, option FROM added`, questions, options)
	index := make(map[countKey]int, len(keys))
	var slot int
	var k countKey
	if _, err := pgx.ForEachRow(rows, []any{&slot, &k.Question, &k.Option}, func() error {
		index[k] = slot
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = index[k]
	}
	return out, nil
}

// slotVector appends to buf the array literal of counts laid out by slot (slots[i] is
// the 1-based slot of counts[i]), up to the last slot whose count is not zero; false
// when every count is zero.
func slotVector(buf []byte, counts []int32, slots []int) ([]byte, bool) {
	last := 0
	for i, n := range counts {
		if n != 0 {
			last = max(last, slots[i])
		}
	}
	if last == 0 {
		return buf, false
	}
	dense := make([]int32, last)
	for i, n := range counts {
		if n != 0 {
			dense[slots[i]-1] += n
		}
	}
	buf = append(buf, '{')
	for i, n := range dense {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(n), 10)
	}
	return append(buf, '}'), true
}

func compareCell(a, b cellKey) int {
	return cmp.Or(
		cmp.Compare(a.Round, b.Round),
		cmp.Compare(a.Area, b.Area),
		cmp.Compare(a.Channel, b.Channel),
		a.Day.Compare(b.Day),
	)
}
