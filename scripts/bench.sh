#!/usr/bin/env bash
# bench.sh is what `make bench` runs inside scripts/test.sh's throwaway servers (started
# with FAST=0: PostgreSQL keeps fsync and synchronous_commit on). It builds minyi,
# measures it with cmd/minyi-bench, which writes BENCHMARKS.md, then runs the Go
# micro-benchmarks. BENCH_DURATION, BENCH_RESPONSES and BENCH_AREAS shrink a trial run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh wrk # the form page's load generator
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
go build -o bin/minyi ./cmd/minyi
go build -o bin/minyi-bench ./cmd/minyi-bench
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ":!BENCHMARKS.md" 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
bin/minyi-bench -minyi bin/minyi -pgbench "$pgbin/pgbench" -commit "$commit" \
	-duration "${BENCH_DURATION:-10s}" -responses "${BENCH_RESPONSES:-1000000}" -areas "${BENCH_AREAS:-1000}" \
	-spread-duration "${BENCH_SPREAD_DURATION:-60s}" -out "${BENCH_OUT:-BENCHMARKS.md}"
out=${BENCH_OUT:-BENCHMARKS.md}
micro=$(go test -count=1 -run '^$' -bench . -benchmem -timeout 30m ./...)
echo "$micro"
{
	printf '\n## 5. Go micro-benchmarks\n\n'
	printf '%s\n\n' "\`go test -run '^\$' -bench . -benchmem ./...\` in the same run (one request at a time, no network between client and handler):"
	echo '```'
	grep -E '^(goos|goarch|cpu|pkg|Benchmark)' <<<"$micro"
	echo '```'
} >>"$out"
