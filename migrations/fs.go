// Package migrations embeds the forward-only SQL migrations of minyi's schema.
package migrations

import "embed"

// FS holds the numbered migration files, applied in order.
//
//go:embed *.sql
var FS embed.FS
