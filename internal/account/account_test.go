package account

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckNew(t *testing.T) {
	for _, tc := range []struct {
		username, name string
		role           Role
		hasArea        bool
		want           error
	}{
		{"jd_linjiang", "张三", Official, true, nil},
		{"admin2", "", Admin, false, nil},
		{"zy.01", "李四", Volunteer, false, nil},
		{"ab", "张三", Official, true, ErrUsername},
		{"张三", "张三", Official, true, ErrUsername},
		{"jd1", strings.Repeat("名", 33), Official, true, ErrName},
		{"jd1", "张\n三", Official, true, ErrName},
		{"jd1", "张三", Official, false, ErrArea},
		{"jd1", "张三", "boss", true, ErrRole},
	} {
		if got := CheckNew(tc.username, tc.name, tc.role, tc.hasArea); !errors.Is(got, tc.want) {
			t.Errorf("CheckNew(%q, %q, %s, %v): got %v, want %v", tc.username, tc.name, tc.role, tc.hasArea, got, tc.want)
		}
	}
}
