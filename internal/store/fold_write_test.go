package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// bySlot lays a batch's counts out by slot.
func TestBySlot(t *testing.T) {
	for _, tc := range []struct {
		counts []int32
		slots  []int
		want   []int32
	}{
		{[]int32{2, 0, 5}, []int{3, 1, 2}, []int32{0, 5, 2}},
		{[]int32{1, 1}, []int{1, 4}, []int32{1, 0, 0, 1}},
		{[]int32{0, 3, 0}, []int{7, 2, 9}, []int32{0, 3}},
		{[]int32{-1, 4}, []int{2, 1}, []int32{4, -1}},
	} {
		got, ok := bySlot(tc.counts, tc.slots)
		if !ok || !slices.Equal(got, tc.want) {
			t.Errorf("bySlot(%v, %v): got %v %v, want %v", tc.counts, tc.slots, got, ok, tc.want)
		}
	}
	if got, ok := bySlot([]int32{0, 0}, []int{1, 2}); ok {
		t.Errorf("bySlot of zeros: got %v, want none", got)
	}
}

// A fold batch grows while full and quick, shrinks in proportion when slow, to a
// quarter when it failed, and stays within its bounds.
func TestFoldBatchAdapts(t *testing.T) {
	const deadline = 5 * time.Second // a batch should take at most a second
	for _, tc := range []struct {
		name         string
		limit, taken int
		took         time.Duration
		err          error
		want         int
	}{
		{"full and quick", 2000, 2000, 100 * time.Millisecond, nil, 4000},
		{"quick but not full", 2000, 700, 100 * time.Millisecond, nil, 2000},
		{"full, within the target", 2000, 2000, 800 * time.Millisecond, nil, 2000},
		{"twice the target", 2000, 2000, 2 * time.Second, nil, 1000},
		{"failed", 20000, 0, deadline, context.DeadlineExceeded, 5000},
		{"failed at the floor", foldBatchMin, 0, deadline, context.DeadlineExceeded, foldBatchMin},
		{"at the ceiling", foldBatchMax, foldBatchMax, 10 * time.Millisecond, nil, foldBatchMax},
	} {
		f := newFolder()
		f.adapt(tc.limit, tc.taken, tc.took, deadline, tc.err)
		if got := f.batch(); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
}
