#!/usr/bin/env bash
# services.sh runs a private PostgreSQL cluster and Redis server whose files
# all live in one directory, listening on 127.0.0.1 only.
#
#   services.sh start DIR [PGPORT REDISPORT]   ports default to 5433 and 6380
#   services.sh stop DIR
#
# start reuses servers already running from DIR (on the ports they have),
# waits until both answer, and writes DIR/services.env with PGPORT,
# REDISPORT, DATABASE_URL (database postgres, user postgres, no password) and
# REDIS_URL. FAST=1 is for throwaway test clusters: no fsync, no Redis
# persistence. Files: DIR/pg (data), DIR/pg.log, DIR/pgsock (unix socket),
# DIR/redis (data, redis.pid, redis.log, port).
set -euo pipefail

usage() { echo "usage: $0 start DIR [PGPORT REDISPORT] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
[ "$cmd" = start ] && mkdir -p "$2"
[ -d "$2" ] || exit 0 # stop with nothing to stop
dir=$(cd "$2" && pwd)

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$pgbin/pg_ctl" ] || { echo "services.sh: no PostgreSQL server; run scripts/deps.sh" >&2; exit 1; }
pgdata=$dir/pg
sock=$dir/pgsock
rdir=$dir/redis
pidfile=$rdir/redis.pid

# PostgreSQL refuses to run as root, so as root it runs as the postgres user,
# from / so that an unreadable working directory doesn't matter.
root=false
[ "$(id -u)" -eq 0 ] && root=true
as_pg() {
	if $root; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

# alive reports whether process $1 runs and is not a zombie (pid 1 in a
# container does not always reap).
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }

# pg_running reports whether the postmaster named in postmaster.pid runs.
# (pg_ctl status would count a zombie, or a stranger that reused the pid.)
pg_running() {
	local pid
	pid=$(head -n1 "$pgdata/postmaster.pid" 2>/dev/null) || return 1
	alive "$pid" && grep -qx postgres "/proc/$pid/comm" 2>/dev/null
}

# redis_pid prints the pid of the redis-server running from DIR.
redis_pid() {
	local pid
	pid=$(cat "$pidfile" 2>/dev/null) || return 1
	alive "$pid" && grep -q redis "/proc/$pid/comm" 2>/dev/null && echo "$pid"
}

# port_free fails, saying so, when something already listens on port $1.
port_free() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		echo "services.sh: port $1 on 127.0.0.1 is taken by another server" >&2
		return 1
	fi
}

# reachable makes every directory from / down to $1 enterable by postgres,
# adding o+x only where it is missing (a mktemp -d directory is 0700).
reachable() {
	$root || return 0
	local path="" part
	local IFS=/
	for part in $1; do
		[ -n "$part" ] || continue
		path="$path/$part"
		as_pg test -x "$path" || chmod o+x "$path"
	done
}

start_pg() {
	local port=$1
	if pg_running; then
		pgport=$(sed -n 4p "$pgdata/postmaster.pid")
		return
	fi
	port_free "$port"
	reachable "$dir"
	# Lock files left by a server that died: postgres would take a zombie's
	# pid for a live server and refuse to start.
	rm -f "$pgdata/postmaster.pid" "$sock"/.s.PGSQL.*
	if $root; then
		install -d -o postgres -g postgres -m 700 "$pgdata"
		install -d -o postgres -g postgres -m 755 "$sock"
		touch "$dir/pg.log" && chown postgres:postgres "$dir/pg.log"
	else
		mkdir -p "$pgdata" "$sock" && chmod 700 "$pgdata"
	fi
	if [ ! -f "$pgdata/PG_VERSION" ]; then
		as_pg "$pgbin/initdb" -D "$pgdata" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	# pg_ctl hands -o to a shell: quote the socket path.
	local opts="-p $port -c listen_addresses=127.0.0.1 -k '$sock'"
	if [ "${FAST:-}" = 1 ]; then
		opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
	fi
	# PG_EXTRA_OPTS adds server settings, e.g. for profiling:
	# PG_EXTRA_OPTS='-c shared_preload_libraries=pg_stat_statements'
	opts+=" ${PG_EXTRA_OPTS:-}"
	if ! as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$dir/pg.log" -w -t 60 -o "$opts" start >/dev/null; then
		echo "services.sh: PostgreSQL did not start; end of $dir/pg.log:" >&2
		tail -n 20 "$dir/pg.log" >&2
		exit 1
	fi
	pgport=$port
}

start_redis() {
	local port=$1
	mkdir -p "$rdir"
	if redis_pid >/dev/null; then
		redisport=$(cat "$rdir/port")
		return
	fi
	port_free "$port"
	local args=(--daemonize yes --bind 127.0.0.1 --port "$port" --dir "$rdir"
		--pidfile "$pidfile" --logfile "$rdir/redis.log")
	if [ "${FAST:-}" = 1 ]; then
		args+=(--save '' --appendonly no)
	fi
	rm -f "$pidfile"
	redis-server "${args[@]}"
	echo "$port" >"$rdir/port"
	redisport=$port
}

# redis_ready reports whether our redis-server runs and answers.
redis_ready() { redis_pid && [ "$(redis-cli -h 127.0.0.1 -p "$redisport" ping)" = PONG ]; }

# wait_for runs its command until it succeeds, for at most 30 seconds.
wait_for() {
	local what=$1 log=$2
	shift 2
	for _ in $(seq 150); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "services.sh: $what does not answer; end of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
}

case $cmd in
start)
	want_pg=${3:-5433} want_redis=${4:-6380}
	start_pg "$want_pg"
	start_redis "$want_redis"
	wait_for PostgreSQL "$dir/pg.log" "$pgbin/pg_isready" -q -U postgres -h 127.0.0.1 -p "$pgport" -t 1
	wait_for Redis "$rdir/redis.log" redis_ready
	if [ "$pgport" != "$want_pg" ] || [ "$redisport" != "$want_redis" ]; then
		echo "services.sh: reusing servers already running from $dir on ports $pgport/$redisport" >&2
	fi
	cat >"$dir/services.env" <<-EOF
		PGPORT=$pgport
		REDISPORT=$redisport
		DATABASE_URL=postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable
		REDIS_URL=redis://127.0.0.1:$redisport/0
	EOF
	echo "services.sh: postgres 127.0.0.1:$pgport, redis 127.0.0.1:$redisport ($dir)" >&2
	;;
stop)
	status=0
	if pg_running; then
		as_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null || status=1
	fi
	if pid=$(redis_pid); then
		kill "$pid" # SIGTERM: redis saves (if configured) and exits
		for _ in $(seq 100); do
			alive "$pid" || break
			sleep 0.2
		done
		if alive "$pid"; then kill -KILL "$pid"; fi
		rm -f "$pidfile"
	fi
	exit "$status"
	;;
*)
	usage
	;;
esac
