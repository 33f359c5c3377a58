# trapnet: two commands on a fresh Debian machine with Go:
#   make demo   # the whole loop end to end on embedded defaults
#   make test   # runtime proof, format, vet, staticcheck, unit + integration tests, agent cross-build
GO      ?= go
BIN     := bin
FRESH   ?=
export GOMLX_BACKEND ?= go:parallelism=-1
export GOMLX_NO_AUTO_INSTALL := 1

.PHONY: all build test deps-test vet lint fmt-check cross demo bench clean

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/trainer ./cmd/agent ./cmd/hub

deps-test:
	scripts/deps.sh test

# The forked GoMLX engine (third_party/gomlx, see TRAPNET.md there) is its
# own module: its kernels are vetted and tested by package path.
FORK_PKGS := github.com/gomlx/gomlx/backends/simplego

vet:
	$(GO) vet ./... $(FORK_PKGS)

# staticcheck, pinned in tools/go.mod (fetched through the Go module proxy);
# its settings are in staticcheck.conf. The GoMLX fork is upstream code: not linted.
lint:
	$(GO) tool -modfile=tools/go.mod staticcheck ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test: deps-test fmt-check vet lint
	$(GO) test -count=1 -timeout 20m ./... $(FORK_PKGS)
	scripts/test-gocv.sh

cross:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/linux-arm64/agent ./cmd/agent
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/linux-armv7/agent ./cmd/agent
	@ls -l $(BIN)/linux-arm64/agent $(BIN)/linux-armv7/agent

demo:
	scripts/deps.sh demo
	FRESH=$(FRESH) scripts/demo.sh

bench:
	scripts/deps.sh bench
	scripts/bench.sh

clean:
	rm -rf $(BIN) demo bench/out
