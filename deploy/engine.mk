# Engine image targets; included from the top-level Makefile.
#
#   make engine-image                  build galaxy-engine:dev
#   make engine-image ENGINE_IMAGE=registry/galaxy-engine:v1 ENGINE_VERSION=v1
#
# The binary is built on the host and copied into a scratch image: no base
# image (not even golang) needs to be pulled.

GO               ?= go
ENGINE_BUILD_DIR ?= build/engine-image
ENGINE_IMAGE     ?= galaxy-engine:dev
ENGINE_VERSION   ?= dev
ENGINE_GOARCH    ?= $(shell $(GO) env GOARCH)

.PHONY: engine-binary engine-image

engine-binary: ## build the static galaxy-engine binary and the image build context
	rm -rf $(ENGINE_BUILD_DIR)
	mkdir -p $(ENGINE_BUILD_DIR)/state
	CGO_ENABLED=0 GOOS=linux GOARCH=$(ENGINE_GOARCH) $(GO) build -trimpath -buildvcs=false \
		-ldflags "-s -w -X github.com/galaxy-platform/galaxy/internal/buildinfo.version=$(ENGINE_VERSION)" \
		-o $(ENGINE_BUILD_DIR)/galaxy-engine ./cmd/galaxy-engine

engine-image: engine-binary ## build the galaxy-engine container image (scratch, uid 65534)
	docker build -f deploy/engine.Dockerfile -t $(ENGINE_IMAGE) $(ENGINE_BUILD_DIR)
