package store

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// MinBinary is minBinary, the oldest binary schema that runs on schema v.
func MinBinary(v int32) int32 { return minBinary(v) }

// MigrateWithin is Migrate with a lock_timeout of lock, tried attempts times pause
// apart, so that a test sees it give way in well under a second.
func MigrateWithin(ctx context.Context, pool *pgxpool.Pool, lock, pause time.Duration, attempts int) error {
	return migrateWithin(ctx, pool, migrateLimits{lock: lock, statement: time.Minute, pause: pause, attempts: attempts})
}

// TestMinBinary checks the oldest binary that runs on a schema, from the expand-only list.
func TestMinBinary(t *testing.T) {
	saved := expandOnly
	t.Cleanup(func() { expandOnly = saved })
	expandOnly = map[int32]bool{10: true, 11: true, 13: true}
	for _, tc := range []struct{ v, want int32 }{{9, 9}, {10, 9}, {11, 9}, {12, 12}, {13, 12}, {0, 0}} {
		if got := minBinary(tc.v); got != tc.want {
			t.Errorf("minBinary(%d) = %d, want %d", tc.v, got, tc.want)
		}
	}
}
