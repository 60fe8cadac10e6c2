# make run: serve minyi with demo data on :8080 (PostgreSQL and Redis under var/)
# make test: go vet and all tests against throwaway PostgreSQL and Redis
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
