# Galaxy — developer tasks. `make help` lists them.

GO            ?= go
GOBIN         ?= $(shell $(GO) env GOPATH)/bin
GOLANGCI_LINT_VERSION := v2.15.0
SQLC_VERSION          := v1.31.1
BUF_VERSION           := v1.75.0
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.2
GOLANGCI_LINT := $(GOBIN)/golangci-lint
SQLC          := $(GOBIN)/sqlc
BUF           := $(GOBIN)/buf

.PHONY: help dev test bench fuzz generate verify lint tools build gateway-deps

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

dev: ## run the platform locally (private PostgreSQL, embedded defaults)
	$(GO) run ./cmd/galaxy dev

test: ## run every test (needs no set-up: tests start their own PostgreSQL)
	$(GO) test ./...

bench: ## run the benchmarks and print their figures
	$(GO) test -run '^$$' -bench . -benchmem ./...

FUZZTIME ?= 10s
fuzz: ## run each fuzz target for FUZZTIME (default 10s): the strict JSON decoder, mail commands and MIME, the whole HTTP stack, game snapshots and orders
	$(GO) test ./internal/httpx -run '^$$' -fuzz '^FuzzDecodeJSON$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/mail/inbound/commands -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/mail/inbound/mailtext -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/app -run '^$$' -fuzz '^FuzzAPI$$' -fuzztime $(FUZZTIME) -parallel 2
	$(GO) test ./internal/game -run '^$$' -fuzz '^FuzzRestoreSnapshot$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/game -run '^$$' -fuzz '^FuzzOrders$$' -fuzztime $(FUZZTIME)

LOADTEST_FLAGS ?=
.PHONY: loadtest
loadtest: ## load the whole platform (50 simulated players, 30s, its own PostgreSQL) and print each route's figures; fails on anything unexpected. LOADTEST_FLAGS="-players 100 ..." tunes it
	$(GO) run ./tools/loadtest $(LOADTEST_FLAGS)

build: ## build the binaries into ./bin
	CGO_ENABLED=0 $(GO) build -o bin/ ./cmd/...

generate: $(SQLC) $(BUF) $(GOBIN)/protoc-gen-go $(GOBIN)/protoc-gen-go-grpc ## regenerate code and docs (sqlc, OpenAPI, protobuf, config table)
	$(SQLC) generate
	PATH="$(GOBIN):$$PATH" $(GO) generate ./...

verify: generate ## fail when generated files or go.mod are not up to date
	@$(GO) mod tidy -diff || (echo "go.mod/go.sum are not tidy: run 'go mod tidy'" >&2; exit 1)
	@git diff --exit-code -- . ':(exclude)go.sum' || \
		(echo "generated files are out of date: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- api internal docs)" || \
		(git status --short -- api internal docs; echo "generation produced untracked files: commit them" >&2; exit 1)

# The gateway is a client of the backend: it may use the generated API
# client, the push proto and leaf helpers, never a backend domain package.
GATEWAY_ALLOWED_DEPS := apiclient|push/pushpb|push/pushclient|gateway(/.*)?|web(/.*)?|lifecycle|backoff
gateway-deps: ## fail when galaxy-gateway imports a backend domain package
	@bad=$$($(GO) list -deps ./cmd/galaxy-gateway | grep '^github.com/galaxy-platform/galaxy/internal/' | \
		grep -vE '^github.com/galaxy-platform/galaxy/internal/($(GATEWAY_ALLOWED_DEPS))$$' || true); \
	if [ -n "$$bad" ]; then echo "galaxy-gateway imports backend packages:" >&2; echo "$$bad" >&2; exit 1; fi

lint: $(GOLANGCI_LINT) ## run golangci-lint with .golangci.yml
	$(GOLANGCI_LINT) run ./...

tools: $(GOLANGCI_LINT) $(SQLC) $(BUF) $(GOBIN)/protoc-gen-go $(GOBIN)/protoc-gen-go-grpc ## install the pinned developer tools

$(GOLANGCI_LINT):
	$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

$(SQLC):
	$(GO) install github.com/sqlc-dev/sqlc/cmd/sqlc@$(SQLC_VERSION)

$(BUF):
	$(GO) install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)

$(GOBIN)/protoc-gen-go:
	$(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)

$(GOBIN)/protoc-gen-go-grpc:
	$(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)

-include deploy/*.mk
