# gameday — two commands on a fresh machine: `make run` and `make test`.
GO        ?= go
REPORT    ?= reports
SOAK_RUNS ?= 100
TESTFLAGS ?= -timeout 20m -count=1

.PHONY: run test deps chromium vet bench clean fuzz soak

## run: the short resilience gate on the embedded demo; writes $(REPORT)/report.html.
## Installs Chromium for the browser halves if the machine has none; needs no Docker.
## gameday run exits 0 every half passed, 1 an SLO gate failed, 2 a half could not run
## (go run prints it as "exit status N"; make turns any failure into its own exit 2).
run: chromium
	$(GO) run ./cmd/gameday run --short --target embedded --report $(REPORT)

# SUDO is how apt-get gets root: nothing when we are root, else sudo.
SUDO ?= $(shell [ "$$(id -u)" = 0 ] || echo sudo)

## chromium: the machine's Chromium ($CHROME_PATH if set, else Debian's package, installed if missing; never downloaded)
chromium:
	@if [ -n "$$CHROME_PATH" ]; then \
		[ -x "$$CHROME_PATH" ] || { echo "CHROME_PATH=$$CHROME_PATH is not an executable"; exit 1; }; \
	elif ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
		echo "installing chromium (Debian package)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi

## deps: what the tests need on this machine (Chromium from Debian, wrk and hey for benchmarks, locust for the foreign-client test,
## redis-server for examples/process and the container examples, docker-compose for examples/compose)
deps: chromium
	@command -v wrk >/dev/null 2>&1 || \
		{ echo "installing wrk (Debian package)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@command -v hey >/dev/null 2>&1 || \
		{ echo "installing hey (Debian package)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hey; }
	@command -v locust >/dev/null 2>&1 || \
		{ echo "installing locust (Debian package python3-locust)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-locust; }
	@command -v redis-server >/dev/null 2>&1 || \
		{ echo "installing redis-server (Debian package)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
	@command -v docker-compose >/dev/null 2>&1 || \
		{ echo "installing docker-compose (Debian package)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; }
	@docker info >/dev/null 2>&1 || { echo "docker: no engine answers; the docker-target tests need one"; exit 1; }
	$(GO) mod download

## test: install what tests need, then vet and run every test (Docker and Chromium tests included).
## The incident catalogue runs last, alone, in its fast form: its SLOs are timing-sensitive and
## should not share the 2 cores with the other packages' tests (nightly CI runs the full form).
test: deps vet
	$(GO) test $(TESTFLAGS) $$($(GO) list ./... | grep -v /scenarios)
	$(GO) test $(TESTFLAGS) -short -v ./scenarios/...

vet:
	$(GO) vet ./...

## bench: load-engine throughput and latency vs vegeta/wrk/hey, proxy cost vs Toxiproxy (3 runs, each ratio's median printed), browser journeys vs raw chromedp,
## threshold parse and evaluation costs, live SLO evaluation vs the load at 20k req/s
bench: deps
	$(GO) run ./harness/load/loadbench
	$(GO) test -run '^$$' -bench . -benchtime 2s -count 3 ./harness/fault/proxy/
	$(GO) test -run '^$$' -bench . -benchtime 2s ./browser/ ./harness/metrics/
	$(GO) test -run '^$$' -bench LiveEvaluationCost -benchtime 2s ./harness/slo/

## soak: $(SOAK_RUNS) short runs per target (embedded, docker), each interrupted at a random point
## (test panic, t.Fatal, context timeout, SIGINT, SIGTERM, SIGKILL) and checked for leaked containers,
## networks, processes, ports, temp dirs, faults and flags; prints the table. Long: not part of `make test`,
## which runs the leak checker's smoke test (cmd/gameday-soak).
soak: deps
	$(GO) run ./cmd/gameday-soak -runs $(SOAK_RUNS) -targets embedded,docker

## clean: remove containers, networks and images left by gameday runs, and local reports
clean:
	$(GO) run ./cmd/gameday clean
	rm -rf $(REPORT)
