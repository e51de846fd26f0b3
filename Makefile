# jiffy — build, run and test. `make test` is what CI runs (.ci/run).
GO        ?= go
BIN       ?= bin/jiffy
PKGS      := ./...
FUZZTIME  ?= 2000x
# Targets whose one input costs tens of milliseconds (a whole HTTP round trip, a Markdown
# render) run fewer inputs, so each target takes a few seconds.
FUZZSLOW  ?= FuzzVerifyNeverShowsToken=150x FuzzDecodeSearchResponse=250x FuzzRenderMarkdown=600x
BENCHTIME ?= 1s
# On Linux jiffy is built without cgo: a static binary with no libc or dynamic loader to map, which
# starts 15-20 ms sooner and keeps 1.4 MiB less resident (docs/performance.md). Elsewhere cgo stays
# as Go sets it: the macOS Keychain backend of the keyring needs it. Tests keep cgo (-race needs it).
NOCGO     := $(if $(filter linux,$(shell $(GO) env GOOS 2>/dev/null)),CGO_ENABLED=0)

.PHONY: all build run demo test unit fuzz e2e bench lint clean

all: build

build:
	$(NOCGO) $(GO) build -o $(BIN) .

## run: start jiffy (no Jira account yet? the first screen offers the demo)
run:
	$(NOCGO) $(GO) run . $(ARGS)

## demo: the whole UI on an embedded fake Jira; no network, no keyring
demo:
	$(NOCGO) $(GO) run . --demo

## test: lint, then every unit/integration/e2e test with -race. Fuzz targets replay their seed
## corpora and the committed regressions (testdata/fuzz/FuzzX/) as plain tests: nothing random,
## so the same commit always gets the same verdict. `make fuzz` explores; commit what it finds.
test: lint unit

unit:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

# Exploration, never part of `make test`: a failure here writes the input to the package's
# testdata/fuzz/FuzzX/; fix the bug and commit that file so `make test` replays it.
# Each fuzz target runs $(FUZZTIME) (a count of inputs, a few seconds each: a duration-based
# -fuzztime can end in a spurious "context deadline exceeded", golang/go#75804); the list is
# discovered so new targets run too.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    n=$(FUZZTIME); for kv in $(FUZZSLOW); do [ "$${kv%%=*}" = "$$f" ] && n=$${kv#*=}; done; \
	    echo "fuzz $$pkg $$f $$n"; \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$$n $$pkg; \
	  done; \
	done

## bench: every benchmark (timing limits live here: BenchmarkSoak fails on key lag and p99
## frame time, the full 45 s soak), then the figures kept in tests (the list's memory, requests
## per launch, per action and per G over 10,000 issues); docs/performance.md quotes them.
## BenchmarkGLoads10k prints G's time at 100 ms latency beside the figure before (23.3 s).
# One package at a time (-p 1): two benchmark binaries sharing the 2 cores would skew each other.
bench:
	$(GO) test -p 1 -count=1 -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) $(PKGS)
	$(GO) test -p 1 -count=1 -v -run='^(TestMemory10k|TestMemoryPerRow10k|TestLaunchRequests|TestRequestsPerAction|TestRefreshUnchangedListRequests|TestGLoadsEverything)$$' ./tui/ ./tui/list/ ./tui/soak/ ./tui/store/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin
