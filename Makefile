# jiffy — build, run and test. `make test` is what CI runs (.ci/run).
GO        ?= go
BIN       ?= bin/jiffy
PKGS      := ./...
FUZZTIME  ?= 5s
BENCHTIME ?= 1s

.PHONY: all build run demo test unit fuzz e2e bench lint clean

all: build

build:
	$(GO) build -o $(BIN) .

## run: start jiffy (no Jira account yet? the first screen offers the demo)
run:
	$(GO) run . $(ARGS)

## demo: the whole UI on an embedded fake Jira; no network, no keyring
demo:
	$(GO) run . --demo

## test: lint, every unit/integration/e2e test with -race, then each fuzz target briefly
test: lint unit fuzz

unit:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

# Each fuzz target runs for $(FUZZTIME); the list is discovered so new targets run too.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg; \
	  done; \
	done

## bench: every benchmark, then the figures kept in tests (the list's memory, requests per
## launch and per action); docs/performance.md quotes them.
# One package at a time (-p 1): two benchmark binaries sharing the 2 cores would skew each other.
bench:
	$(GO) test -p 1 -count=1 -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) $(PKGS)
	$(GO) test -p 1 -count=1 -v -run='^(TestMemory10k|TestLaunchRequests|TestRequestsPerAction)$$' ./tui/list/ ./tui/soak/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin
