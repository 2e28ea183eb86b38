# Lepton.K8s — common tasks. Every target runs from a clean clone with only the .NET SDK.
CONFIG ?= Release
DOTNET ?= dotnet
SLN := Lepton.K8s.sln
CLI := src/Lepton.Cli
BENCH := bench/Lepton.Benchmarks
CLUSTER_STATE ?= examples/cluster-state.json
URLS ?= http://127.0.0.1:8888

.PHONY: build test format format-fix bench soak run simulate crds models chart-lint chart-template chart-validate chart-rules-test docker e2e clean

build:
	$(DOTNET) build $(SLN) -c $(CONFIG)

## The test command README gives; CI runs it through .ci/run.
test:
	$(DOTNET) test $(SLN) -c $(CONFIG)

## dotnet format over the whole solution: fails on any change it would make (CI runs it); `make format-fix` applies them.
format:
	$(DOTNET) format $(SLN) --verify-no-changes

format-fix:
	$(DOTNET) format $(SLN)

## Benchmarks: latency harnesses and BenchmarkDotNet suites; results go into docs/PERFORMANCE.md.
bench:
	mkdir -p out/bench
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- latency --out out/bench/extender-latency.md
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- latency --order interleaved --nodes 500,5000 --modes NodeNames --out out/bench/extender-latency-interleaved.md
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- latency --policy Learned --nodes 5000 --modes NodeNames --transports inprocess --out out/bench/extender-latency-learned.md
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- cycle --nodes 5000 --out out/bench/extender-cycle.md
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- models
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- simulator
	$(DOTNET) build -c $(CONFIG) $(CLI)
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- operator
	$(DOTNET) run -c $(CONFIG) --project $(BENCH) -- --filter '*'

## The soak (issue 13): the built `lepton serve --cluster-state` (5,000 nodes) under 8 + 1 connections for
## SOAK_MINUTES (10), with the chart's GC settings; fails on RSS or GC-heap-floor growth >10% after two
## warm-up minutes, any error, or p99 per minute varying >2x. Bounded: the load stops after SOAK_MINUTES,
## and `timeout` ends it 10 minutes later. SOAK_ARGS adds options, e.g. SOAK_ARGS="--gc server".
SOAK_MINUTES ?= 10
SOAK_ARGS ?=
soak:
	mkdir -p out/bench
	$(DOTNET) build -c $(CONFIG) $(CLI)
	$(DOTNET) build -c $(CONFIG) $(BENCH)
	timeout -k 30 $$(( $(SOAK_MINUTES) * 60 + 600 )) $(BENCH)/bin/$(CONFIG)/net10.0/linux-x64/Lepton.Benchmarks soak --minutes $(SOAK_MINUTES) --out out/bench/soak.md $(SOAK_ARGS)

## The extender against a copy of a cluster (kubectl get nodes,pods -A -o json).
run:
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- serve --cluster-state $(CLUSTER_STATE) --urls $(URLS)

## The simulator on its built-in workload (no data needed).
simulate:
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- simulate

## Regenerate crds/ from the C# types and copy them into the chart (Helm installs charts/lepton/crds/).
crds:
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- crds --out crds
	mkdir -p charts/lepton/crds
	cp crds/*.yaml charts/lepton/crds/

## Train the default models from the openb trace (../shared/traces/openb) into models/.
TRACES ?= ../shared/traces/openb
models:
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- train predictor --traces $(TRACES) --out models/predictor.onnx
	$(DOTNET) run -c $(CONFIG) --project $(CLI) -- train policy --traces $(TRACES) --out models/policy.onnx

HELM := .tools/helm
CHART := charts/lepton

$(HELM):
	./scripts/install-helm.sh

## helm lint --strict with default and non-default values.
chart-lint: $(HELM)
	$(HELM) lint --strict $(CHART)
	$(HELM) lint --strict $(CHART) --set tls.mode=existing,tls.existing.serverSecretName=lepton-server,tls.existing.clientSecretName=lepton-client,metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,image.cuda=true,policy=BestFit
	$(HELM) lint --strict $(CHART) --set tls.mode=certManager
	$(HELM) lint --strict $(CHART) --set tls.enabled=false

## Render the chart (default and non-default values) into out/chart/.
chart-template: $(HELM)
	mkdir -p out/chart
	$(HELM) template lepton $(CHART) --namespace lepton-system > out/chart/default.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --set tls.mode=existing,tls.existing.serverSecretName=lepton-server,tls.existing.clientSecretName=lepton-client,metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,scheduler.scorePlugins.balancedAllocation=false,replicaCount=3 > out/chart/custom.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --set tls.mode=certManager > out/chart/cert-manager.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --set tls.enabled=false > out/chart/plain.yaml

## Validate the rendered chart against the Kubernetes API's JSON schemas (npm kubernetes-models,
## installed into .tools/ by scripts/install-manifest-validator.sh): default and non-default values,
## with the CRDs, and the plain, EKS- and k3s-style cluster versions the scheduler image tag follows.
## ServiceMonitor, PrometheusRule and cert-manager objects are checked against their own models.
VALIDATOR := .tools/manifest-validator/.installed
CUSTOM_VALUES := tls.mode=existing,tls.existing.serverSecretName=lepton-server,tls.existing.clientSecretName=lepton-client,metrics.serviceMonitor.enabled=true,metrics.serviceMonitor.prometheusServiceAccount.name=prometheus-k8s,metrics.serviceMonitor.prometheusServiceAccount.namespace=monitoring,metrics.prometheusRule.enabled=true,scheduler.scorePlugins.balancedAllocation=false,replicaCount=3,image.cuda=true,policy=BestFit

$(VALIDATOR):
	./scripts/install-manifest-validator.sh

chart-validate: $(HELM) $(VALIDATOR)
	mkdir -p out/chart
	$(HELM) template lepton $(CHART) --namespace lepton-system --include-crds > out/chart/validate-default.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --include-crds --set $(CUSTOM_VALUES) > out/chart/validate-custom.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --set tls.mode=certManager,metrics.serviceMonitor.enabled=true > out/chart/validate-cert-manager.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --kube-version v1.29.3-eks-abc123 --set tls.enabled=false > out/chart/validate-eks-plain.yaml
	$(HELM) template lepton $(CHART) --namespace lepton-system --kube-version v1.30.1+k3s1 --set $(CUSTOM_VALUES) > out/chart/validate-k3s.yaml
	node scripts/validate-manifests.mjs out/chart/validate-default.yaml out/chart/validate-custom.yaml out/chart/validate-cert-manager.yaml out/chart/validate-eks-plain.yaml out/chart/validate-k3s.yaml

## promtool unit tests (tests/rules/*.yaml) of the chart's alert rules, rendered into out/rules/
## (promtool comes from Debian's prometheus package: scripts/install-promtool.sh).
chart-rules-test: $(HELM)
	./scripts/install-promtool.sh
	mkdir -p out/rules
	$(HELM) template lepton $(CHART) --namespace lepton-system --set metrics.prometheusRule.enabled=true --show-only templates/prometheusrule.yaml \
		| sed -n '/^spec:$$/,$$p' | tail -n +2 | sed 's/^  //' > out/rules/lepton.rules.yaml
	promtool check rules out/rules/lepton.rules.yaml
	promtool test rules tests/rules/*.yaml

## The user's path end to end: kubectl + `lepton serve --kubeconfig` against the API test double,
## or against the cluster of $KUBECONFIG when it is set (scripts/e2e.sh says what it needs).
e2e:
	./scripts/e2e.sh

## Container images (needs a Docker engine; not available on the CI machine).
docker:
	docker build -t lepton:dev .
	docker build -t lepton:dev-cuda --target cuda .

clean:
	$(DOTNET) clean $(SLN) -c $(CONFIG)
