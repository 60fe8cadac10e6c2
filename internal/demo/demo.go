// Package demo ships the demo data that `make run` loads: a district with three
// streets, fourteen communities and a village.
package demo

import _ "embed"

// AreasCSV is the demo area tree in the format of `minyi area import`.
//
//go:embed areas.csv
var AreasCSV []byte

// AreasFile names AreasCSV in error messages.
const AreasFile = "demo/areas.csv"
