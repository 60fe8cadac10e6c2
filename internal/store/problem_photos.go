package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/problem"
)

// Photo is an image of a problem, re-encoded on upload.
type Photo struct {
	ID        int64
	ProblemID int64
	Stage     problem.Status
	Type      string // image/jpeg or image/png
	Width     int
	Height    int
	Data      []byte
	At        time.Time
}

// PhotoInfo is a photo without its bytes.
type PhotoInfo struct {
	ID     int64
	Stage  problem.Status
	Type   string
	Width  int
	Height int
	Size   int
	At     time.Time
}

// addPhoto stores a photo of a locked problem, refusing one beyond problem.MaxPhotos.
func addPhoto(ctx context.Context, tx pgx.Tx, id int64, stage problem.Status, ph Photo, userID *int64, at time.Time) (int64, error) {
	var n int
	if err := tx.QueryRow(ctx, `/* Store.addPhoto count */
		SELECT count(*) FROM problem_photos WHERE problem_id = $1`, id).Scan(&n); err != nil {
		return 0, err
	}
	if n >= problem.MaxPhotos {
		return 0, problem.ErrTooManyPhotos
	}
	var photoID int64
	err := tx.QueryRow(ctx, `/* Store.addPhoto */
		INSERT INTO problem_photos (problem_id, stage, type, width, height, data, user_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		id, stage, ph.Type, ph.Width, ph.Height, ph.Data, userID, at).Scan(&photoID)
	return photoID, err
}

// Photos lists the photos of a problem, oldest first, without their bytes.
func (s *Store) Photos(ctx context.Context, problemID int64) (_ []PhotoInfo, err error) {
	defer wrap(&err, "Store.Photos")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Photos */
		SELECT id, stage, type, width, height, length(data), at
		FROM problem_photos WHERE problem_id = $1 ORDER BY id`, problemID)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[PhotoInfo])
}

// Photo returns one photo of a problem with its bytes, or survey.ErrNotFound.
func (s *Store) Photo(ctx context.Context, problemID, id int64) (_ Photo, err error) {
	defer wrap(&err, "Store.Photo")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Photo */
		SELECT id, problem_id, stage, type, width, height, data, at
		FROM problem_photos WHERE problem_id = $1 AND id = $2`, problemID, id)
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Photo])
	return p, notFound(err)
}
