package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// writeCounters adds a batch's counter vectors to the daily tally vectors and, summed
// over days, to the rollup vectors: one row per cell touched in each, in key order.
// The places of f's vectors are first mapped to the slots of counter_slots, new
// (question, option) pairs getting the next slots. The sums are made here: the cells'
// vectors are read, added to, and written back whole, in binary, which costs the
// database a fraction of adding arrays in SQL. The caller holds the fold lock, so no
// other transaction writes the counters meanwhile.
func (f folded) writeCounters(ctx context.Context, tx pgx.Tx) error {
	if len(f.cells) == 0 {
		return nil
	}
	slots, err := slotsOf(ctx, tx, f.keys)
	if err != nil {
		return err
	}
	daily := map[cellKey][]int32{}
	byRound := map[cellKey][]int32{}
	for c, v := range f.cells {
		dense, ok := bySlot(v, slots)
		if !ok {
			continue // every count of the cell cancelled out
		}
		daily[c] = dense
		c.Day = time.Time{}
		byRound[c] = addVector(byRound[c], dense)
	}
	for _, t := range []struct {
		cells       map[cellKey][]int32
		read, write string
	}{
		{daily, `/* Store.Fold tallies read */
			SELECT t.round_id, t.area_id, t.channel, t.day, t.n
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[]) AS u(round_id, area_id, channel, day)
			CROSS JOIN LATERAL (
				SELECT * FROM tally_vectors t
				WHERE t.round_id = u.round_id AND t.area_id = u.area_id AND t.channel = u.channel AND t.day = u.day
			) t`,
			`/* Store.Fold tallies */
			INSERT INTO tally_vectors (round_id, area_id, channel, day, n)
			SELECT round_id, area_id, channel, day, ($5::integer[])[lo:hi]
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $6::integer[], $7::integer[])
				AS u(round_id, area_id, channel, day, lo, hi)
			ON CONFLICT (round_id, area_id, channel, day) DO UPDATE SET n = excluded.n`},
		{byRound, `/* Store.Fold rollups read */
			SELECT t.round_id, t.area_id, t.channel, t.n
			FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(round_id, area_id, channel)
			CROSS JOIN LATERAL (
				SELECT * FROM rollup_vectors t
				WHERE t.round_id = u.round_id AND t.area_id = u.area_id AND t.channel = u.channel
			) t`,
			`/* Store.Fold rollups */
			INSERT INTO rollup_vectors (round_id, area_id, channel, n)
			SELECT round_id, area_id, channel, ($5::integer[])[lo:hi]
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $6::integer[], $7::integer[])
				AS u(round_id, area_id, channel, day, lo, hi)
			ON CONFLICT (round_id, area_id, channel) DO UPDATE SET n = excluded.n`},
	} {
		if len(t.cells) == 0 {
			continue
		}
		keys := make([]cellKey, 0, len(t.cells))
		for c := range t.cells {
			keys = append(keys, c)
		}
		slices.SortFunc(keys, compareCell)
		rs, as, chs, days := make([]int64, len(keys)), make([]int64, len(keys)), make([]string, len(keys)), make([]time.Time, len(keys))
		for i, c := range keys {
			rs[i], as[i], chs[i], days[i] = c.Round, c.Area, c.Channel, c.Day
		}
		args, withDay := []any{rs, as, chs}, !keys[0].Day.IsZero()
		if withDay {
			args = append(args, days)
		}
		rows, _ := tx.Query(ctx, t.read, args...)
		var c cellKey
		var n []int32
		scan := []any{&c.Round, &c.Area, &c.Channel, &c.Day, &n}
		if !withDay {
			scan = []any{&c.Round, &c.Area, &c.Channel, &n}
		}
		if _, err := pgx.ForEachRow(rows, scan, func() error {
			if v, ok := t.cells[c]; ok {
				t.cells[c] = addVector(slices.Clone(n), v)
			}
			return nil
		}); err != nil {
			return err
		}
		var flat, lo, hi []int32
		for _, c := range keys {
			lo = append(lo, int32(len(flat))+1)
			flat = append(flat, t.cells[c]...)
			hi = append(hi, int32(len(flat)))
		}
		if _, err := tx.Exec(ctx, t.write, rs, as, chs, days, flat, lo, hi); err != nil {
			return err
		}
	}
	return nil
}

// bySlot lays counts out by slot (slots[i] is the 1-based slot of counts[i]), up to
// the last slot whose count is not zero; false when every count is zero.
func bySlot(counts []int32, slots []int) ([]int32, bool) {
	last := 0
	for i, n := range counts {
		if n != 0 {
			last = max(last, slots[i])
		}
	}
	if last == 0 {
		return nil, false
	}
	dense := make([]int32, last)
	for i, n := range counts {
		if n != 0 {
			dense[slots[i]-1] += n
		}
	}
	return dense, true
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

func compareCell(a, b cellKey) int {
	return cmp.Or(
		cmp.Compare(a.Round, b.Round),
		cmp.Compare(a.Area, b.Area),
		cmp.Compare(a.Channel, b.Channel),
		a.Day.Compare(b.Day),
	)
}
