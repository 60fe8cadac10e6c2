package store

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"minyi/internal/area"
)

const areaColumns = `a.id, a.code, a.name, a.kind, coalesce(p.code, '') AS parent_code,
	a.households, a.in_scope, a.path`

func collectAreas(rows pgx.Rows) ([]area.Area, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (area.Area, error) {
		var a area.Area
		err := row.Scan(&a.ID, &a.Code, &a.Name, &a.Kind, &a.ParentCode, &a.Households, &a.InScope, &a.Path)
		return a, err
	})
}

// Area returns the area with the given code, or survey.ErrNotFound.
func (s *Store) Area(ctx context.Context, code string) (_ area.Area, err error) {
	defer wrap(&err, "Store.Area")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Area */
		SELECT `+areaColumns+`
		FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
		WHERE a.code = $1`, code)
	as, err := collectAreas(rows)
	if err != nil {
		return area.Area{}, err
	}
	if len(as) == 0 {
		return area.Area{}, notFound(errNoRows)
	}
	return as[0], nil
}

// Subtree returns the area with the given code and everything below it, parents
// before children; all areas when code is empty.
func (s *Store) Subtree(ctx context.Context, code string) (_ []area.Area, err error) {
	defer wrap(&err, "Store.Subtree")
	prefix := "/"
	if code != "" {
		root, err := s.Area(ctx, code)
		if err != nil {
			return nil, err
		}
		prefix = root.Path
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Subtree */
		SELECT `+areaColumns+`
		FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
		WHERE a.path LIKE $1 || '%'
		ORDER BY length(a.path) - length(replace(a.path, '/', '')), a.code`, prefix)
	return collectAreas(rows)
}

// Children returns the direct children of the area with the given id, by code.
func (s *Store) Children(ctx context.Context, id int64) (_ []area.Area, err error) {
	defer wrap(&err, "Store.Children")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Children */
		SELECT `+areaColumns+`
		FROM areas a JOIN areas p ON p.id = a.parent_id
		WHERE a.parent_id = $1
		ORDER BY a.code`, id)
	return collectAreas(rows)
}

// ImportAreas upserts the rows of an area CSV file in one transaction: all rows or
// none. Bad references come back as *csvfile.ImportError naming the lines.
func (s *Store) ImportAreas(ctx context.Context, file string, rows []area.Row) (created, updated int, err error) {
	defer wrap(&err, "Store.ImportAreas")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback(ctx)
	// One import at a time: the tree is checked as a whole. No fold runs meanwhile, so
	// that nothing is counted against ancestors while the tree changes shape.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, foldLock); err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE rollup_vectors IN EXCLUSIVE MODE`); err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE areas IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return 0, 0, err
	}
	q, _ := tx.Query(ctx, `/* Store.ImportAreas */
		SELECT `+areaColumns+` FROM areas a LEFT JOIN areas p ON p.id = a.parent_id`)
	existing, err := collectAreas(q)
	if err != nil {
		return 0, 0, err
	}
	tree, err := area.Merge(file, existing, rows)
	if err != nil {
		return 0, 0, err
	}
	before := map[string]area.Area{}
	for _, a := range existing {
		before[a.Code] = a
	}
	changed := map[string]bool{}
	for _, r := range rows {
		changed[r.Area.Code] = !sameArea(before[r.Area.Code], r.Area)
	}
	ids := map[string]int64{}
	paths := map[string]string{}
	moved := false
	for _, a := range tree {
		var parentID *int64
		path := "/"
		if a.ParentCode != "" {
			pid := ids[a.ParentCode]
			parentID, path = &pid, paths[a.ParentCode]
		}
		switch {
		case a.ID == 0:
			err = tx.QueryRow(ctx, `/* Store.ImportAreas insert */
				INSERT INTO areas (code, name, kind, parent_id, households, in_scope, path)
				VALUES ($1, $2, $3, $4, $5, $6, '')
				RETURNING id`, a.Code, a.Name, a.Kind, parentID, a.Households, a.InScope).Scan(&a.ID)
			created++
		case changed[a.Code]:
			_, err = tx.Exec(ctx, `/* Store.ImportAreas update */
				UPDATE areas SET name = $2, kind = $3, parent_id = $4, households = $5, in_scope = $6,
					updated_at = now()
				WHERE id = $1`, a.ID, a.Name, a.Kind, parentID, a.Households, a.InScope)
			updated++
		}
		if err != nil {
			return 0, 0, err
		}
		ids[a.Code] = a.ID
		paths[a.Code] = path + strconv.FormatInt(a.ID, 10) + "/"
		if paths[a.Code] != a.Path {
			moved = moved || a.Path != ""
			if _, err := tx.Exec(ctx, `/* Store.ImportAreas path */
				UPDATE areas SET path = $2 WHERE id = $1`, a.ID, paths[a.Code]); err != nil {
				return 0, 0, err
			}
		}
	}
	if moved {
		if err := recount(ctx, tx); err != nil {
			return 0, 0, err
		}
	}
	return created, updated, tx.Commit(ctx)
}

// sameArea reports whether an import row leaves an existing area as it is.
func sameArea(old, row area.Area) bool {
	sameHouseholds := (old.Households == nil) == (row.Households == nil) &&
		(old.Households == nil || *old.Households == *row.Households)
	return old.Name == row.Name && old.Kind == row.Kind && old.ParentCode == row.ParentCode &&
		old.InScope == row.InScope && sameHouseholds
}

// Roots returns the areas at the top of the tree, by code.
func (s *Store) Roots(ctx context.Context) (_ []area.Area, err error) {
	defer wrap(&err, "Store.Roots")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Roots */
		SELECT `+areaColumns+`
		FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
		WHERE a.parent_id IS NULL
		ORDER BY a.code`)
	return collectAreas(rows)
}
