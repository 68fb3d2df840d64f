# GovStack building blocks — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every Go module in the workspace (go.work), the root one last (its end-to-end tests take longest); each must
# also build on its own (GOWORK=off), as a partner government builds one BB.
MODULES := $(patsubst $(CURDIR)/%,%,$(filter-out $(CURDIR),$(shell go list -m -f '{{.Dir}}' 2>/dev/null))) .
TOOLS   := $(CURDIR)/.tools
BUF_VERSION := 1.75.0
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
export PATH := $(TOOLS)/bin:$(TOOLS)/npm/node_modules/.bin:$(PATH)
# Store and component tests use the Postgres server at GOVSTACK_TEST_DATABASE_URL (one throwaway database per
# test package). Unset, `make test` uses postgres://postgres@127.0.0.1:5432/postgres when a server answers
# there, and otherwise starts the project's private cluster (.govstack/postgres-test) for the run.

.PHONY: help run test test-modules chaos build proto proto-check tools lint breaking proto-baseline bench gowork-off clean screenshots portal-assets

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: ## run every BB and the gateway in one process (govstack dev)
	go run ./cmd/govstack dev

test: ## unit, store, component and e2e tests of every module (starts a private Postgres when none runs)
	@go run ./cmd/govstack test-postgres $(MAKE) --no-print-directory test-modules

test-modules: # the module tests themselves; make test runs them with a Postgres server named
	@set -e; for m in $(MODULES); do echo "== go test $$m"; (cd $$m && go test -race -count=1 $$( [ $$m = . ] && echo -p 1 -timeout 25m || echo -timeout 10m ) ./...); done
# The root module's stack tests (tests/deploy, tests/e2e) run one package at a time: tests/deploy reserves free
# ports by closing a listener, and a stack starting at the same moment in another package could take one.

chaos: ## fault tests that take long: PostgreSQL stopped under load (a private cluster; minutes, not in make test)
	GOVSTACK_CHAOS=1 go test -count=1 -v -timeout 15m ./tests/chaos/

screenshots: ## walk the portal's journeys in headless Chromium and save docs/screenshots/ (the README shows them)
	GOVSTACK_SCREENSHOTS=1 go test -count=1 ./tests/browser/

portal-assets: ## rebuild the portal's embedded GOV.UK Frontend styles and scripts, and axe-core for the tests, from npm
	web/assets/build.sh

build: ## build the binaries into bin/
	@mkdir -p bin
	go build -o bin/govstack ./cmd/govstack
	@set -e; for d in services/*/cmd/*/; do m=$$(dirname $$(dirname $$d)); c=$$(basename $$d); (cd $$m && go build -o ../../bin/$$c ./cmd/$$c); done
	cd gateway && go build -o ../bin/gateway ./cmd/gateway
	cd web && go build -o ../bin/portal ./cmd/portal

gowork-off: ## check every module builds and vets on its own, outside the workspace
	@set -e; for m in $(MODULES); do echo "== GOWORK=off $$m"; (cd $$m && GOWORK=off go build ./... && GOWORK=off go vet ./...); done

tools: $(TOOLS)/bin/protoc-gen-go $(TOOLS)/bin/buf ## install the pinned code generators into .tools/

$(TOOLS)/bin/protoc-gen-go: proto/go.mod
	cd proto && GOWORK=off GOBIN=$(TOOLS)/bin go install tool
	@touch $@

# buf: the npm package ships a prebuilt binary (seconds); without npm, compile it (about a minute and a half).
$(TOOLS)/bin/buf:
	@mkdir -p $(TOOLS)/bin
	@if command -v npm >/dev/null 2>&1 && npm install --silent --prefix $(TOOLS)/npm @bufbuild/buf@$(BUF_VERSION); then \
		ln -sf $(TOOLS)/npm/node_modules/.bin/buf $@; \
	else GOBIN=$(TOOLS)/bin go install github.com/bufbuild/buf/cmd/buf@v$(BUF_VERSION); fi

proto: tools ## regenerate Go, grpc-gateway and OpenAPI code from proto/ (offline)
	buf lint
	buf generate
	cd gateway && go run ./openapi/gen # served OpenAPI 2 and 3 documents, the IM's from openapi/im.yaml

proto-check: proto ## fail if the generated code is not what `make proto` produces
	@git diff --exit-code -- proto gateway/openapi || { echo "generated code is stale: run 'make proto' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- proto gateway/openapi)" || { git status --porcelain -- proto gateway/openapi; echo "untracked generated files: run 'make proto' and commit"; exit 1; }

lint: tools breaking ## go vet, staticcheck, gofmt, buf lint and buf breaking
	buf lint
	@set -e; for m in $(MODULES); do echo "== lint $$m"; (cd $$m && go vet ./... && go run $(STATICCHECK) ./...); done
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "run gofmt"; exit 1; }

# The REST JSON is a public contract: buf breaking (WIRE_JSON) compares proto/ with the baseline image of the
# last released API. Refresh the baseline (make proto-baseline) only when a release is cut.
breaking: tools ## fail on wire or JSON breaking changes against proto/breaking-baseline.binpb
	buf breaking proto --against proto/breaking-baseline.binpb

proto-baseline: tools ## record the current API as the breaking-change baseline (at a release)
	buf build proto --exclude-source-info -o proto/breaking-baseline.binpb

bench: ## benchmarks (not part of make test); results go to docs/benchmarks.md
	cd services/registries && go test -run '^$$' -bench . -benchtime 2000x ./...
	cd platform && go test -run '^$$' -bench . -benchtime 3s ./outbox/...
	cd services/messaging && go test -run '^$$' -bench AcceptAndDeliver -benchtime 20x .
	cd services/scheduling && go test -run '^$$' -bench Booking -benchtime 2000x . && go test -run '^$$' -bench TimerLateness -benchtime 1x .
	cd services/registration && go test -run '^$$' -bench . -benchtime 300x .
	cd services/workflow && go test -run '^$$' -bench 'ThreeService|Bare' -benchtime 2000x . && go test -run '^$$' -bench TimersDueAtOnce -benchtime 1x .
	cd services/payments && go test -run '^$$' -bench 'Transfers|HotFunding' -benchtime 3s ./internal/store/ && go test -run '^$$' -bench IdempotentReplay -benchtime 3s . && go test -run '^$$' -bench BatchEndToEnd -benchtime 5x . && go test -run '^$$' -bench BatchThroughTheSimulator -benchtime 1x -timeout 30m .
	cd gateway && go test -run '^$$' -bench . -benchtime 2000x ./internal/registry/ ./internal/msglog/
	GOVSTACK_BENCH=1 go test -count=1 -run TestIMOverhead -v ./bench/

clean: ## remove build output and local dev state (the private Postgres clusters and their data too)
	-@for d in .govstack/postgres .govstack/postgres-test; do [ ! -d $$d ] || go run ./cmd/govstack postgres remove $$d; done
	rm -rf bin .govstack
