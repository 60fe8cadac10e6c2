#!/usr/bin/env bash
# test.sh runs go vet and every test against a throwaway PostgreSQL and Redis
# on free ports, stopped and deleted afterwards whatever happens, and exits
# with go test's status. TEST_ARGS is added to go test's flags (e.g.
# TEST_ARGS='-run Ballot -v'); TEST_PKGS names the packages (default ./...).
#
#   scripts/test.sh [COMMAND...]
#
# With a COMMAND (`make bench` gives one), it runs that instead of vet and
# test, with the same servers and environment, and exits with its status.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh

# free_port prints a port on 127.0.0.1 that nothing listens on and isn't $1.
free_port() {
	local p
	while :; do
		# Below the kernel's range for outgoing connections (32768 and up), whose ports
		# may be taken without anything listening.
		p=$((20000 + RANDOM % 12000))
		[ "$p" = "${1:-}" ] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

tmp=$(mktemp -d /tmp/minyi-test.XXXXXX)
cleanup() {
	scripts/services.sh stop "$tmp" || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pgport=$(free_port)
redisport=$(free_port "$pgport")
FAST=${FAST:-1} scripts/services.sh start "$tmp" "$pgport" "$redisport"

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"
export TEST_REDIS_URL="redis://127.0.0.1:$redisport/0"
export MINYI_REQUIRE_SERVICES=1
MINYI_CHROMIUM=$(command -v chromium)
export MINYI_CHROMIUM

status=0
if [ $# -gt 0 ]; then
	"$@" || status=$?
else
	# TEST_ARGS and TEST_PKGS are split into words on purpose.
	# shellcheck disable=SC2086
	go vet ${TEST_PKGS:-./...}
	scripts/vulncheck.sh
	# shellcheck disable=SC2086
	go test -count=1 -timeout 20m ${TEST_ARGS:-} ${TEST_PKGS:-./...} || status=$?
	# The Kubernetes manifests, rendered with kustomize: a module of their own.
	if [ -z "${TEST_PKGS:-}" ]; then
		(cd deploy/k8s && go vet ./... && go test -count=1 ./...) || status=$?
	fi
fi
exit "$status"
