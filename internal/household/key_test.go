package household

import (
	"strings"
	"testing"
)

// TestKeySpellings checks that the ways one door number is written make one key, and
// that distinct flats stay distinct.
func TestKeySpellings(t *testing.T) {
	for _, tc := range []struct {
		want     string
		spelling []string
	}{
		{"1-1-101", []string{
			"1-1-101", "1栋1单元101", "1栋-1单元-101", "1幢1单元101室", "１－１－１０１",
			"1号楼1单元101", "1号楼1单元101室", "1栋 1单元 101", " 1 - 1 - 101 ", "1—1—101", "1–1–101",
			"1‐1‐101", "1−1−101", "1﹣1﹣101", "１栋１单元１０１室", "1#1单元101", "1/1/101", "1栋1单元101号",
			"1-1-101室", "1--1--101", "1栋　1单元　101",
		}},
		{"A-2-501", []string{"a-2-501", "A座2单元501", "Ａ座２单元５０１室", "a座-2单元-501"}},
		{"3-501", []string{"3-501", "3栋501", "3幢501室", "3号楼501"}},
		{"散户1", []string{"散户1", "散户 1", "散户１"}},
		{"东区1", []string{"东区1号", "东区１号"}},
		{"=散户1", []string{"=散户1"}},
	} {
		for _, in := range tc.spelling {
			got, err := Key(in)
			if err != nil || got != tc.want {
				t.Errorf("Key(%q): got %q, %v; want %q", in, got, err, tc.want)
			}
		}
	}
}

func TestKeyDistinct(t *testing.T) {
	flats := []string{"1-1-101", "1-11-01", "11-1-01", "1-110-1", "11-10-1", "111-01", "1-1101", "11101", "1-1-10-1"}
	seen := map[string]string{}
	for _, in := range flats {
		k, err := Key(in)
		if err != nil {
			t.Fatalf("Key(%q): %v", in, err)
		}
		if other, dup := seen[k]; dup {
			t.Errorf("Key(%q) = Key(%q) = %q, want distinct keys", in, other, k)
		}
		seen[k] = in
	}
	for _, pair := range [][2]string{{"1栋11单元01", "11栋1单元01"}, {"1栋1单元101", "1栋11单元01"}} {
		a, _ := Key(pair[0])
		b, _ := Key(pair[1])
		if a == b {
			t.Errorf("Key(%q) = Key(%q) = %q, want distinct keys", pair[0], pair[1], a)
		}
	}
}

func TestKeyInvalid(t *testing.T) {
	for _, in := range []string{"", "  ", "-", "--", "3\x002", "\xff", strings.Repeat("户", 65), strings.Repeat("1-", 200)} {
		if got, err := Key(in); err == nil {
			t.Errorf("Key(%q): got %q, want ErrKey", in, got)
		}
	}
}
