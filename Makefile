# Galaxy — developer tasks. `make help` lists them.

GO            ?= go
GOBIN         ?= $(shell $(GO) env GOPATH)/bin
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(GOBIN)/golangci-lint

.PHONY: help dev test bench generate verify lint tools build

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

dev: ## run the platform locally (private PostgreSQL, embedded defaults)
	$(GO) run ./cmd/galaxy dev

test: ## run every test (needs no set-up: tests start their own PostgreSQL)
	$(GO) test ./...

bench: ## run the benchmarks and print their figures
	$(GO) test -run '^$$' -bench . -benchmem ./...

build: ## build the binaries into ./bin
	CGO_ENABLED=0 $(GO) build -o bin/ ./cmd/...

generate: ## regenerate code and docs from their sources (OpenAPI, config table)
	$(GO) generate ./...

verify: generate ## fail when generated files or go.mod are not up to date
	@$(GO) mod tidy -diff || (echo "go.mod/go.sum are not tidy: run 'go mod tidy'" >&2; exit 1)
	@git diff --exit-code -- . ':(exclude)go.sum' || \
		(echo "generated files are out of date: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- api internal docs)" || \
		(git status --short -- api internal docs; echo "generation produced untracked files: commit them" >&2; exit 1)

lint: $(GOLANGCI_LINT) ## run golangci-lint with .golangci.yml
	$(GOLANGCI_LINT) run ./...

tools: $(GOLANGCI_LINT) ## install the pinned developer tools

$(GOLANGCI_LINT):
	$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

-include deploy/*.mk
