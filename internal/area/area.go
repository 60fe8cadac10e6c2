// Package area describes the administrative tree (市 → 区 → 街道 → 社区 → 网格 …) that
// responses are attached to and rates roll up through.
package area

import "strings"

// Area is one node of the tree. Path lists the ids from the root down to the area
// itself, as "/1/5/17/", so that a subtree is every area whose path has this prefix.
type Area struct {
	ID         int64  `json:"-"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	ParentCode string `json:"parent_code"`
	Households *int   `json:"households"`
	InScope    bool   `json:"in_scope"`
	Path       string `json:"-"`
}

// Kinds lists the known area kinds with their Chinese names, from the top of the tree down.
var Kinds = []struct{ ID, Label string }{
	{"province", "省"},
	{"city", "市"},
	{"district", "区"},
	{"county", "县"},
	{"street", "街道"},
	{"town", "乡镇"},
	{"community", "社区"},
	{"village", "村"},
	{"grid", "网格"},
	{"estate", "小区"},
	{"building", "楼栋"},
}

// KindLabel is the Chinese name of a kind.
func KindLabel(kind string) string {
	for _, k := range Kinds {
		if k.ID == kind {
			return k.Label
		}
	}
	return kind
}

// ParseKind accepts a kind id or its Chinese name and returns the id.
func ParseKind(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if s == k.ID || s == k.Label {
			return k.ID, true
		}
	}
	return "", false
}

// IsCommunity reports whether the area is a 村居, the main unit of rates and rankings.
func (a Area) IsCommunity() bool {
	return a.Kind == "community" || a.Kind == "village"
}

// KindLabel is the Chinese name of the area's kind.
func (a Area) KindLabel() string { return KindLabel(a.Kind) }
