#!/usr/bin/env bash
# dev.sh builds minyi and serves it with demo data (http://localhost:8080).
# Unless DATABASE_URL and REDIS_URL are both set, it uses a PostgreSQL and a
# Redis kept under var/ across runs, on ports 5433 and 6380 (MINYI_PGPORT,
# MINYI_REDISPORT); `make stop` stops them. The settings it runs with are
# written to var/dev.env, whose MINYI_SECRET is generated once and kept.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

scripts/deps.sh

if [ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ]; then
	db_url=$DATABASE_URL
	redis_url=$REDIS_URL
else
	scripts/services.sh start var "${MINYI_PGPORT:-5433}" "${MINYI_REDISPORT:-6380}"
	pgport=$(sed -n 's/^PGPORT=//p' var/services.env)
	redisport=$(sed -n 's/^REDISPORT=//p' var/services.env)
	psql=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql
	psql=("$psql" -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d postgres)
	if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'minyi'")" != 1 ]; then
		"${psql[@]}" -c 'CREATE DATABASE minyi'
	fi
	db_url="postgres://postgres@127.0.0.1:$pgport/minyi?sslmode=disable"
	redis_url="redis://127.0.0.1:$redisport/0"
fi

secret=
if [ -f var/dev.env ]; then
	secret=$(sed -n 's/^MINYI_SECRET=//p' var/dev.env | tail -n1)
fi
if [ -z "$secret" ]; then
	secret=$(openssl rand -hex 32 2>/dev/null || head -c32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
addr=${MINYI_ADDR:-:8080}

# line prints KEY=value, single-quoting a value that a shell would misread.
line() {
	if [[ $2 =~ ^[A-Za-z0-9_./:@?=%+,-]*$ ]]; then
		printf '%s=%s\n' "$1" "$2"
	else
		printf "%s='%s'\n" "$1" "${2//\'/\'\\\'\'}"
	fi
}
(
	umask 077
	{
		line DATABASE_URL "$db_url"
		line REDIS_URL "$redis_url"
		line MINYI_SECRET "$secret"
		line MINYI_ADDR "$addr"
		line MINYI_BASE_URL "${MINYI_BASE_URL:-http://localhost:${addr##*:}}"
	} >var/dev.env.new
	mv var/dev.env.new var/dev.env
)

set -a
. var/dev.env
set +a

go build -o var/minyi ./cmd/minyi
# The demo accounts share one password, generated once and kept in var/demo.password.
if [ ! -s var/demo.password ]; then
	(umask 077; { openssl rand -base64 12 2>/dev/null || head -c12 /dev/urandom | base64; } | tr -d '/+=\n' >var/demo.password; echo >>var/demo.password)
fi
var/minyi demo setup <var/demo.password
if [ "$(var/minyi demo responses --count)" = 0 ]; then
	var/minyi demo responses --n "${MINYI_DEMO_RESPONSES:-3000}"
fi
var/minyi demo problems
# One API token for the demo admin, made once and kept (only its hash is in the database).
if [ ! -s var/admin.token ]; then
	(umask 077; var/minyi token create --user admin --name demo | tail -n1 >var/admin.token)
fi
echo "dev.sh: to run var/minyi subcommands against this instance: set -a; . var/dev.env; set +a" >&2
echo "dev.sh: sign in at ${MINYI_BASE_URL}/login as admin (everything), quxx (江滨区), jiedao1 (临江街道)," >&2
echo "        shequ1 (望江社区) or zhiyuan1 (volunteer); the password is in var/demo.password: $(cat var/demo.password)" >&2
echo "dev.sh: API token of admin is in var/admin.token, e.g.:" >&2
echo "  curl -H \"Authorization: Bearer \$(cat var/admin.token)\" '${MINYI_BASE_URL}/api/v1/indicators?survey=chuangwen&area=990100000000&by=children'" >&2
exec var/minyi serve
