package keyed

import "testing"

func TestSum(t *testing.T) {
	k := New([]byte("0123456789abcdef0123456789abcdef"))
	other := New([]byte("fedcba9876543210fedcba9876543210"))
	sum := k.Sum("device", "abc")
	for _, tc := range []struct {
		name           string
		key            Key
		purpose, value string
		want           bool
	}{
		{"same", k, "device", "abc", true},
		{"other purpose", k, "household", "abc", false},
		{"other value", k, "device", "abd", false},
		{"other secret", other, "device", "abc", false},
		{"purpose and value shifted", k, "devic", "e\x00abc", false},
	} {
		if got := tc.key.Verify(tc.purpose, tc.value, sum); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	if len(sum) != 32 {
		t.Errorf("len: got %d, want 32 hex digits", len(sum))
	}
}
