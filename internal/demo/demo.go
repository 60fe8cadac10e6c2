// Package demo ships the demo data that `make run` loads: a district with three
// streets, fourteen communities and a village.
package demo

import (
	_ "embed"

	"minyi/internal/account"
)

// AreasCSV is the demo area tree in the format of `minyi area import`.
//
//go:embed areas.csv
var AreasCSV []byte

// AreasFile names AreasCSV in error messages.
const AreasFile = "demo/areas.csv"

// HouseholdsCSV lists the households of two demo communities (望江社区 and 滨河社区) in
// the format of `minyi household import`.
//
//go:embed households.csv
var HouseholdsCSV []byte

// HouseholdsFile names HouseholdsCSV in error messages.
const HouseholdsFile = "demo/households.csv"

// VolunteerArea is the community the demo volunteer is assigned to.
const VolunteerArea = "990100001001"

// User is a demo account.
type User struct {
	Username, Name string
	Role           account.Role
	Area           string // code of an official's area
}

// Users are the demo accounts: an admin, an official at each level of the demo tree
// and a volunteer.
var Users = []User{
	{"admin", "系统管理员", account.Admin, ""},
	{"quxx", "江滨区创建办", account.Official, "990100000000"},
	{"jiedao1", "临江街道创建办", account.Official, "990100001000"},
	{"shequ1", "望江社区居委会", account.Official, "990100001001"},
	{"zhiyuan1", "志愿者小王", account.Volunteer, ""},
}
