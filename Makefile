# make run: serve minyi with demo data on :8080 (PostgreSQL and Redis under var/)
# make test: go vet and all tests against throwaway PostgreSQL and Redis
# The Go release that builds and tests minyi (go.mod asks for it too); the go command
# fetches it through the module proxy.
export GOTOOLCHAIN := go1.27.3

.PHONY: run test bench build stop clean

run:
	scripts/dev.sh

test:
	scripts/test.sh

bench:
	FAST=0 scripts/test.sh scripts/bench.sh

build:
	go build -o bin/minyi ./cmd/minyi

stop:
	scripts/services.sh stop var

# clean keeps var/'s database and secret: `make stop && rm -rf var` drops them.
clean:
	rm -rf bin var/minyi *.test *.out

# make fuzz: run each fuzz target for FUZZTIME. A failing input is written to the
# package's testdata/fuzz/, to be committed with its fix; minimizing is kept short so
# that a large interesting input does not stall the run for a minute.
FUZZTIME ?= 30s
.PHONY: fuzz
fuzz:
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./internal/surveyfile
	go test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./internal/survey
	go test -run '^$$' -fuzz '^FuzzAnswersJSON$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./internal/survey
	go test -run '^$$' -fuzz '^FuzzParseCSV$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./internal/area

# make faults: the long form of the fault tests (Redis killed, PostgreSQL stopped, SIGTERM,
# dump and restore, each under load). They start servers of their own; test.sh runs them
# with its environment (MINYI_REQUIRE_SERVICES=1) but without vet and vulncheck.
.PHONY: faults
faults:
	MINYI_FAULTS=long scripts/test.sh go test -count=1 -timeout 20m -v ./internal/faults
