package store

import (
	"slices"
	"testing"
)

func TestPieces(t *testing.T) {
	cases := []struct {
		text, word string
		contains   bool
	}{
		{"楼道堆放杂物，垃圾分类不到位", "垃圾分类", true},
		{"楼道堆放杂物，垃圾分类不到位", "分类垃圾", false},
		{"希望加装电梯", "垃圾", false},
		{"WiFi 信号差", "wifi", true},
		{"停车难", "停车场", false},
	}
	for _, c := range cases {
		got := containsAll(pieces(c.text), pieces(c.word))
		if got != c.contains {
			t.Errorf("pieces(%q) ⊇ pieces(%q): got %v, want %v", c.text, c.word, got, c.contains)
		}
	}
	if got := pieces("垃"); len(got) != 0 {
		t.Errorf("pieces of one character: got %v, want none", got)
	}
	if got, want := len(pieces("aaaa")), 1; got != want {
		t.Errorf("pieces(aaaa): got %d keys, want %d (distinct)", got, want)
	}
}

func containsAll(have, want []int32) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
