# hookgen: build, test and check. Every target works on a fresh clone with Go
# and the module proxy; nothing else is assumed.
GO      ?= go
BIN     ?= bin/hookgen
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: all build test test-corpus test-fresh golden lint vet fmt-check fuzz clean demo

all: build

build: ## build bin/hookgen
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/hookgen

# The real public charts kept beside the repository (../shared/corpus and
# ../shared/wide, see internal/sharedcharts) are not part of it. Tests that
# read them are named TestCorpus* or TestWide* (testcharts.Shared enforces
# it). make test points their location at a directory that does not exist,
# so it runs exactly what a fresh clone runs (those tests skip with one line)
# whatever lies beside this checkout; make test-corpus runs only them.
NO_SHARED    := $(CURDIR)/.no-shared-charts
SHARED_TESTS := ^(TestCorpus|TestWide)

test: fmt-check vet ## unit, golden and CLI tests (the README's test command); never reads ../shared
	HOOKGEN_SHARED='$(NO_SHARED)' HOOKGEN_CORPUS= HOOKGEN_WIDE= $(GO) test -count=1 ./...

test-corpus: ## the tests on the real charts in ../shared (HOOKGEN_SHARED elsewhere); they skip when absent
	$(GO) test -count=1 -timeout 45m -run '$(SHARED_TESTS)' ./...

test-fresh: ## clone HEAD into an empty temporary directory and run make test there
	hack/fresh-clone.sh

test-slow: ## the long runs of issue 17's tests: 60 concurrent add pairs, a kill at every write step of add, remove, init and init --create
	HOOKGEN_SLOW_TESTS=1 $(GO) test -count=1 -timeout 60m -run 'TestConcurrentAdds|TestKillDuringCommands' ./cmd/hookgen

golden: ## rewrite golden files from the current generators; review the diff
	$(GO) test -count=1 ./golden/... -update

lint: fmt-check vet ## gofmt and go vet, as make test runs them

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

FUZZTIME ?= 30s
fuzz: ## run every Go fuzz target for FUZZTIME each; a crasher is written to the package's testdata/fuzz: commit it
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

.PHONY: e2e
e2e: ## build the pinned control plane and Helm v3/v4 CLIs once (cache outside the repo), run the end-to-end suite
	hack/e2e/build.sh
	$(GO) test -tags e2e -count=1 -v -timeout 30m ./e2e

clean:
	rm -rf bin

demo: ## run hookgen add on a temporary copy of examples/shop and show the result
	@d=$$(mktemp -d) && cp -r examples/shop "$$d/" && \
	echo "$$ hookgen add migration --chart $$d/shop --yes --command 'sh,-c,echo migrating the shop schema'" && \
	$(GO) run ./cmd/hookgen add migration --chart "$$d/shop" --yes --command 'sh,-c,echo migrating the shop schema' && \
	echo && echo "--- $$d/shop/templates/hooks/migration.yaml" && cat "$$d/shop/templates/hooks/migration.yaml" && \
	echo && echo "$$ hookgen plan $$d/shop --operation install,upgrade" && \
	$(GO) run ./cmd/hookgen plan "$$d/shop" --operation install,upgrade; \
	rm -rf "$$d"

.PHONY: bench
bench: ## hookgen vs helm v4.3.1 (CPU, wall, peak memory), scaling, Go benchmarks; BENCHFLAGS='-compare OLD/report.json -out DIR'
	$(GO) run ./bench/cmd/hookbench $(BENCHFLAGS)
