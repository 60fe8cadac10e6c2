package store

import (
	"slices"
	"testing"
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
