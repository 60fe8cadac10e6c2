package store

import "testing"

// slotVector lays a batch's counts out by slot.
func TestSlotVector(t *testing.T) {
	for _, tc := range []struct {
		counts []int32
		slots  []int
		want   string
	}{
		{[]int32{2, 0, 5}, []int{3, 1, 2}, "{0,5,2}"},
		{[]int32{1, 1}, []int{1, 4}, "{1,0,0,1}"},
		{[]int32{0, 3, 0}, []int{7, 2, 9}, "{0,3}"},
	} {
		got, ok := slotVector(nil, tc.counts, tc.slots)
		if !ok || string(got) != tc.want {
			t.Errorf("slotVector(%v, %v): got %s %v, want %s", tc.counts, tc.slots, got, ok, tc.want)
		}
	}
	if got, ok := slotVector(nil, []int32{0, 0}, []int{1, 2}); ok {
		t.Errorf("slotVector of zeros: got %s, want none", got)
	}
}
