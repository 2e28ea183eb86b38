# Lepton.K8s — common tasks. Every target runs from a clean clone with only the .NET SDK.
CONFIG ?= Release
DOTNET ?= dotnet
SLN := Lepton.K8s.sln
CLI := src/Lepton.Cli
BENCH := bench/Lepton.Benchmarks
CLUSTER_STATE ?= examples/cluster-state.json
URLS ?= http://127.0.0.1:8888

.PHONY: build test format bench run simulate clean

build:
	$(DOTNET) build $(SLN) -c $(CONFIG)

## The test command README gives; CI runs it through .ci/run.
test:
	$(DOTNET) test $(SLN) -c $(CONFIG)

format:
	$(DOTNET) format $(SLN) --verify-no-changes

## Benchmarks: latency harnesses and BenchmarkDotNet suites; results go into docs/PERFORMANCE.md.
bench:
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- --filter '*'

## The extender against a copy of a cluster (kubectl get nodes,pods -A -o json).
run:
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- serve --cluster-state $(CLUSTER_STATE) --urls $(URLS)

## The simulator on its built-in workload (no data needed).
simulate:
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- simulate

clean:
	$(DOTNET) clean $(SLN) -c $(CONFIG)
