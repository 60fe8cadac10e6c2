#!/usr/bin/env bash
# vendor.sh builds the front-end libraries minyi serves from the npm registry into
# static/vendor/, at the pinned versions below. npm checks each package against the
# registry's integrity hash; the output is committed, so builds need no network.
#
# ECharts is bundled with esbuild from scripts/echarts-dashboard.js, which names the
# charts and components the dashboard uses: the rest of ECharts is left out (tree
# shaking), so that the dashboard's first load stays small.
#
#   scripts/vendor.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echarts=echarts@6.1.0
esbuild=esbuild@0.28.2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp scripts/echarts-dashboard.js "$tmp/entry.js"
(cd "$tmp" && npm install --silent --no-audit --no-fund --no-save "$echarts" "$esbuild" >/dev/null)
"$tmp/node_modules/.bin/esbuild" "$tmp/entry.js" --bundle --minify --format=iife \
	--target=es2019 --legal-comments=none --log-level=warning --define:process.env.NODE_ENV='"production"' \
	--outfile=static/vendor/echarts.dashboard.min.js
cp "$tmp/node_modules/echarts/LICENSE" static/vendor/echarts.LICENSE.txt
echo "vendor.sh: $echarts (bar, line, scatter; bundled with $esbuild) -> static/vendor/echarts.dashboard.min.js"
