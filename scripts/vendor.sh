#!/usr/bin/env bash
# vendor.sh copies the front-end libraries minyi serves from the npm registry into
# static/vendor/, at the pinned versions below. npm checks each package against
# the registry's integrity hash; the files are committed, so builds need no network.
#
#   scripts/vendor.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# package@version  file in the package  name under static/vendor/
files=(
	"echarts@6.1.0 dist/echarts.min.js echarts.min.js"
	"echarts@6.1.0 LICENSE echarts.LICENSE.txt"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for entry in "${files[@]}"; do
	read -r pkg path name <<<"$entry"
	dir="$tmp/${pkg//[@\/]/_}"
	if [ ! -d "$dir" ]; then
		mkdir -p "$dir"
		tarball=$(cd "$dir" && npm pack --silent "$pkg")
		tar -xzf "$dir/$tarball" -C "$dir"
	fi
	cp "$dir/package/$path" "static/vendor/$name"
	echo "vendor.sh: $pkg $path -> static/vendor/$name"
done
