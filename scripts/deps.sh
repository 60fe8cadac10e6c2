#!/usr/bin/env bash
# deps.sh installs the Debian packages that `make run` and `make test` need
# and are missing: the PostgreSQL server, Redis and Chromium. Arguments name more
# commands to install from the package of the same name (`make bench` asks for
# wrk). It does nothing, not even `apt-get update`, when everything is already there.
set -euo pipefail

need=()
for cmd in "$@"; do
	command -v "$cmd" >/dev/null || need+=("$cmd")
done
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || ! id postgres >/dev/null 2>&1; then
	need+=(postgresql)
fi
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium fonts-liberation)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
	exit 1
fi

echo "deps.sh: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt may be running (an install started elsewhere): wait for its locks
# instead of failing. DPkg::Lock::Timeout covers the dpkg lock; `update` takes
# the lists lock too, so it is retried.
apt=(apt-get -qq -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
for i in $(seq 30); do
	"${apt[@]}" update >/dev/null && break
	[ "$i" -eq 30 ] && { echo "deps.sh: apt-get update failed" >&2; exit 1; }
	sleep 10
done
"${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null
