// Package faults breaks minyi's dependencies under load and checks that nothing acknowledged is lost.
//
// The tests run the minyi binary as residents meet it: a burst of submissions from
// many workers, each a new resident with a fresh client_id and no cookie. Meanwhile they
// kill Redis, stop PostgreSQL, send minyi SIGTERM, or dump and restore the database,
// and then read the database back to check that every submission minyi acknowledged is
// stored exactly once.
//
// Each test starts a PostgreSQL cluster and a Redis server of its own with
// scripts/services.sh, on free loopback ports, because it stops and kills them: it never
// touches the servers that other packages' tests share. The tests skip when the servers'
// binaries are missing, unless MINYI_REQUIRE_SERVICES=1, where they fail. They run on
// Linux only. By default each scenario lasts a few seconds; MINYI_FAULTS=long (make
// faults) gives bursts of 20 to 30 seconds.
package faults
