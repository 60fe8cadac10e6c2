#!/usr/bin/env bash
# vulncheck.sh runs govulncheck on the whole module against a vulnerability database
# built from the golang.org/x/vulndb module (through the Go module proxy), pinned
# below; raise the pins to check against newer data.
set -euo pipefail
cd "$(dirname "$0")/.."
vulndb=golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018
govulncheck=golang.org/x/vuln/cmd/govulncheck@v1.9.0
src=$(go mod download -json "$vulndb" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
out=$(mktemp -d /tmp/minyi-vulndb.XXXXXX)
trap 'rm -rf "$out"' EXIT
go run ./tools/vulndb -src "$src" -out "$out" -accept tools/vulndb/accepted.txt
go run "$govulncheck" -db "file://$out" ./...
