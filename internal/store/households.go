package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"minyi/internal/csvfile"
	"minyi/internal/household"
)

// ImportHouseholds upserts the rows of a household CSV file in one statement: all
// rows or none. Rows naming an unknown area come back as a *csvfile.ImportError that
// lists their lines. Households already listed keep their key and get the building,
// unit and room of the file.
func (s *Store) ImportHouseholds(ctx context.Context, file string, rows []household.Row) (created, updated int, err error) {
	defer wrap(&err, "Store.ImportHouseholds")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	codes := map[string]bool{}
	for _, r := range rows {
		codes[r.AreaCode] = true
	}
	list := make([]string, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	q, _ := s.pool.Query(ctx, `/* Store.ImportHouseholds areas */
		SELECT code, id FROM areas WHERE code = ANY($1)`, list)
	found, err := pgx.CollectRows(q, pgx.RowToStructByPos[struct {
		Code string
		ID   int64
	}])
	if err != nil {
		return 0, 0, err
	}
	ids := make(map[string]int64, len(found))
	for _, f := range found {
		ids[f.Code] = f.ID
	}
	bad := &csvfile.ImportError{}
	n := len(rows)
	areaIDs, keys := make([]int64, n), make([]string, n)
	buildings, units, rooms := make([]string, n), make([]string, n), make([]string, n)
	for i, r := range rows {
		id, ok := ids[r.AreaCode]
		if !ok {
			bad.Add(file, r.Line, "区域代码 %s 不存在", r.AreaCode)
		}
		areaIDs[i], keys[i], buildings[i], units[i], rooms[i] = id, r.Key, r.Building, r.Unit, r.Room
	}
	if err := bad.Err(); err != nil {
		return 0, 0, err
	}
	res, _ := s.pool.Query(ctx, `/* Store.ImportHouseholds */
		INSERT INTO households (area_id, key, building, unit, room)
		SELECT area_id, key, building, unit, room
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(area_id, key, building, unit, room)
		ON CONFLICT (area_id, key) DO UPDATE
			SET building = excluded.building, unit = excluded.unit, room = excluded.room, updated_at = now()
		RETURNING xmax = 0`, areaIDs, keys, buildings, units, rooms)
	inserted, err := pgx.CollectRows(res, pgx.RowTo[bool])
	if err != nil {
		return 0, 0, err
	}
	for _, ins := range inserted {
		if ins {
			created++
		} else {
			updated++
		}
	}
	return created, updated, nil
}

// MaxHouseholds bounds the households one call returns.
const MaxHouseholds = 50000

// Households returns the household lists of the given areas, keyed by area id, each
// by building, unit and room.
func (s *Store) Households(ctx context.Context, areaIDs []int64) (_ map[int64][]household.Household, err error) {
	defer wrap(&err, "Store.Households")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Households */
		SELECT area_id, key, building, unit, room FROM households
		WHERE area_id = ANY($1)
		ORDER BY area_id, length(building), building, length(unit), unit, length(room), room, key
		LIMIT $2`, areaIDs, MaxHouseholds)
	type row struct {
		AreaID int64
		household.Household
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var h row
		err := r.Scan(&h.AreaID, &h.Key, &h.Building, &h.Unit, &h.Room)
		return h, err
	})
	if err != nil {
		return nil, err
	}
	out := map[int64][]household.Household{}
	for _, h := range list {
		out[h.AreaID] = append(out[h.AreaID], h.Household)
	}
	return out, nil
}
