#!/usr/bin/env bash
# End-to-end check of `lepton serve --kubeconfig` with the real kubectl:
#   kubectl create -f a LeptonJob → the operator creates its pod gated, admits the gang (reserved node, gate lifted)
#   → this script plays kube-scheduler (POST /filter then /bind to the extender, as kube-scheduler would)
#   → the extender posts pods/binding → the script plays the kubelet (pod phase Running, then Succeeded)
#   → `kubectl get lj` shows Running on the node, then Succeeded; `kubectl describe lj` shows the admission and
#   binding as Events.
#
# Without KUBECONFIG it starts the Kubernetes API *test double* (tests/Lepton.Testing.KubeApiServer, an in-process
# imitation of kube-apiserver, not a real cluster) and loads examples/cluster-state.json's nodes into it.
# With KUBECONFIG set (kind or any cluster where you may create CRDs, namespaces and pods), it runs against that
# cluster: it applies the CRD, creates the job in namespace $LEPTON_E2E_NAMESPACE (default lepton-e2e, deleted
# afterwards) and needs a node with a free GPU of the job's model (LEPTON_E2E_JOB, default
# examples/leptonjob-training-1gpu.yaml). The pod never really runs a container there: the script sets its phase
# only on the test double; on a real cluster it checks Scheduling → bound → the kubelet's own phase.
#
# Usage: scripts/e2e.sh            (builds Release first unless LEPTON_E2E_NO_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."

job_file=${LEPTON_E2E_JOB:-examples/leptonjob-training-1gpu.yaml}
port=${LEPTON_E2E_PORT:-18989}
work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $status -ne 0 ]]; then
    echo "e2e: FAILED; last lines of the logs:" >&2
    for f in "$work"/*.log; do echo "--- $f" >&2; tail -n 20 "$f" | cut -c1-400 >&2; done
  fi
  if [[ -n "${real_cluster:-}" ]]; then kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

fail() { echo "e2e: $*" >&2; exit 1; }

# until SECONDS CMD...: retries CMD every 0.2 s until it succeeds or SECONDS pass (a script, not a unit test).
until_ok() {
  local limit=$1; shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

command -v kubectl >/dev/null || fail "kubectl is required"
command -v jq >/dev/null || fail "jq is required (apt-get install -y jq)"
if [[ "${LEPTON_E2E_NO_BUILD:-}" != 1 ]]; then
  dotnet build src/Lepton.Cli -c Release -v q -nologo >/dev/null
  dotnet build tests/Lepton.Testing.KubeApiServer -c Release -v q -nologo >/dev/null
fi
lepton=src/Lepton.Cli/bin/Release/net10.0/linux-x64/lepton
server=tests/Lepton.Testing.KubeApiServer/bin/Release/net10.0/linux-x64/Lepton.Testing.KubeApiServer
[[ -x $lepton ]] || fail "$lepton is missing: build src/Lepton.Cli in Release"

if [[ -n "${KUBECONFIG:-}" ]]; then
  real_cluster=1
  ns=${LEPTON_E2E_NAMESPACE:-lepton-e2e}
  echo "e2e: against the cluster of KUBECONFIG=$KUBECONFIG, namespace $ns"
  kubectl apply -f crds/leptonjobs.lepton.ai.yaml >/dev/null
  kubectl create namespace "$ns" >/dev/null 2>&1 || true
  lease_ns=$ns
else
  [[ -x $server ]] || fail "$server is missing: build tests/Lepton.Testing.KubeApiServer in Release"
  ns=default
  "$server" --port 0 --kubeconfig "$work/kubeconfig" --crd crds/leptonjobs.lepton.ai.yaml >"$work/api-test-server.log" 2>&1 &
  pids+=($!)
  until_ok 30 test -s "$work/kubeconfig" || fail "the API test server did not start"
  export KUBECONFIG=$work/kubeconfig
  echo "e2e: against the Kubernetes API test double ($(tail -n 1 "$work/api-test-server.log"))"
  # Namespaces first (the double, like kube-apiserver, refuses objects in a namespace that does not exist).
  for n in $(grep -o '"namespace": *"[^"]*"' examples/cluster-state.json | sed 's/.*"\([^"]*\)"$/\1/' | sort -u) lepton-system; do
    printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$n" | kubectl create -f - >/dev/null 2>&1 || true
  done
  # The PriorityClasses its pods name (the double resolves priorityClassName as kube-apiserver's Priority
  # admission does, and a copied pod's spec.priority must match its class's value).
  jq -r '[.items[] | select(.kind == "Pod" and (.spec.priorityClassName // "") != "" and (.spec.priorityClassName | startswith("system-") | not))
          | "\(.spec.priorityClassName) \(.spec.priority // 0)"] | unique | .[]' examples/cluster-state.json |
    while read -r class value; do
      printf 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: %s\nvalue: %s\n' "$class" "$value" | kubectl create -f - >/dev/null
    done
  kubectl create --validate=false -f examples/cluster-state.json >/dev/null
  lease_ns=lepton-system
fi

# Two replicas, as the chart runs them (DECISIONS.md 19): each lists and watches into its own cache; the
# Lease holder alone answers kube-scheduler and labels its pod lepton.ai/role=leader (against the double,
# stand-in pod objects lepton-a and lepton-b play the replicas' pods).
declare -A ports=([a]=$port [b]=$((port + 1)))
for r in a b; do
  if [[ -z "${real_cluster:-}" ]]; then
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lepton-%s\n  namespace: %s\nspec:\n  containers: [{name: lepton, image: lepton}]\n' "$r" "$lease_ns" | kubectl create -f - >/dev/null
    export Lepton__Operator__PodName=lepton-$r Lepton__Operator__PodNamespace=$lease_ns
  fi
  Lepton__LeaderElection__Identity=lepton-$r "$lepton" serve --kubeconfig "$KUBECONFIG" --lease-namespace "$lease_ns" \
    --lease-duration 4s --renew-deadline 3s --retry-period 1s --urls "http://127.0.0.1:${ports[$r]}" >"$work/lepton-$r.log" 2>&1 &
  pids+=($!)
done
unset Lepton__Operator__PodName Lepton__Operator__PodNamespace
for r in a b; do
  until_ok 60 curl -sf "http://127.0.0.1:${ports[$r]}/readyz" || fail "lepton serve replica $r did not become ready"
done
holder() { kubectl get lease -n "$lease_ns" lepton-operator -o jsonpath='{.spec.holderIdentity}'; }
until_ok 30 test -n "$(holder)" || fail "no replica acquired the lease"
leader=$(holder); leader=${leader#lepton-}
standby=$([[ $leader == a ]] && echo b || echo a)
port=${ports[$leader]}
echo "e2e: two lepton serve replicas ready (informers synced); lepton-$leader holds the lease"
if [[ -z "${real_cluster:-}" ]]; then
  labelled() { [[ $(kubectl get pods -n "$lease_ns" -l lepton.ai/role=leader -o jsonpath='{.items[*].metadata.name}') == "lepton-$leader" ]]; }
  until_ok 30 labelled || fail "the leader did not label its pod lepton.ai/role=leader (the extender Service selects it)"
  echo "e2e: lepton-$leader labelled its pod lepton.ai/role=leader; lepton-$standby's is not"
fi

name=$(kubectl create -n "$ns" -f "$job_file" -o jsonpath='{.metadata.name}')
echo "e2e: created LeptonJob $name"
pod="$name-0"
until_ok 60 kubectl get pod -n "$ns" "$pod" || fail "the operator did not create pod $pod"
gate_lifted() { [[ -z "$(kubectl get pod -n "$ns" "$pod" -o jsonpath='{.spec.schedulingGates[*].name}')" ]]; }
until_ok 60 gate_lifted || fail "gang admission did not lift $pod's scheduling gate: $(kubectl get lj -n "$ns" "$name" -o jsonpath='{.status.conditions}')"
echo "e2e: $pod admitted (reserved on $(kubectl get pod -n "$ns" "$pod" -o jsonpath='{.metadata.annotations.lepton\.ai/reserved-node}'))"

# Play kube-scheduler: filter over every node (NodeNames mode), then bind to the first survivor.
nodes=$(kubectl get nodes -o jsonpath='{range .items[*]}"{.metadata.name}",{end}')
printf '{"Pod": %s, "NodeNames": [%s]}' "$(kubectl get pod -n "$ns" "$pod" -o json)" "${nodes%,}" >"$work/filter.json"
# A call that reaches the standby (an old connection) is refused so that kube-scheduler retries, and the
# connection is closed; the retry reaches the leader.
curl -s -D "$work/standby-headers.txt" -X POST "http://127.0.0.1:${ports[$standby]}/filter" -H 'content-type: application/json' \
  -d @"$work/filter.json" >"$work/standby-reply.json"
grep -qi '^connection: close' "$work/standby-headers.txt" || fail "the standby did not close the connection: $(cat "$work/standby-headers.txt")"
grep -q 'not serving' "$work/standby-reply.json" || fail "the standby answered filter: $(cat "$work/standby-reply.json")"
standby_bind=$(curl -s -X POST "http://127.0.0.1:${ports[$standby]}/bind" -H 'content-type: application/json' \
  -d "{\"PodName\":\"$pod\",\"PodNamespace\":\"$ns\",\"PodUID\":\"x\",\"Node\":\"x\"}")
[[ $standby_bind == *"not serving"* ]] || fail "the standby answered bind: $standby_bind"
echo "e2e: lepton-$standby refused filter and bind with Connection: close"
curl -sf -X POST "http://127.0.0.1:$port/filter" -H 'content-type: application/json' -d @"$work/filter.json" >"$work/filter-reply.json"
node=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print((r.get("NodeNames") or [""])[0])' "$work/filter-reply.json")
[[ -n $node ]] || fail "the extender's filter left no node: $(cat "$work/filter-reply.json")"
uid=$(kubectl get pod -n "$ns" "$pod" -o jsonpath='{.metadata.uid}')
reply=$(curl -sf -X POST "http://127.0.0.1:$port/bind" -H 'content-type: application/json' \
  -d "{\"PodName\":\"$pod\",\"PodNamespace\":\"$ns\",\"PodUID\":\"$uid\",\"Node\":\"$node\"}")
[[ $reply == '{"Error":""}' ]] || fail "bind answered $reply"
[[ -z "$(kubectl get pod -n "$ns" "$pod" -o jsonpath='{.metadata.annotations.lepton\.ai/gpu-cards}')" ]] && fail "the bound pod has no lepton.ai/gpu-cards"
[[ $(kubectl get pod -n "$ns" "$pod" -o jsonpath='{.spec.nodeName}') == "$node" ]] || fail "$pod is not bound to $node"
echo "e2e: $pod bound to $node through the extender's /bind"

phase_is() { [[ $(kubectl get lj -n "$ns" "$name" -o jsonpath='{.status.phase}') == "$1" ]]; }
# kubectl describe tells the job's story as Events: the operator's admission and the binding (issue 12).
described() {
  kubectl describe lj -n "$ns" "$name" >"$work/describe.txt" 2>&1 &&
    grep -Eq 'Normal +GangAdmitted .*Gang admitted' "$work/describe.txt" &&
    grep -Eq "Normal +Bound .*bound to node $node" "$work/describe.txt"
}
check_events() {
  until_ok 30 described || fail "kubectl describe lj $name shows no admission and binding events: $(cat "$work/describe.txt")"
  echo "e2e: kubectl describe lj $name shows the admission and binding events:"
  sed -n '/^Events:/,$p' "$work/describe.txt"
}
if [[ -z "${real_cluster:-}" ]]; then
  # Play the kubelet.
  kubectl patch pod -n "$ns" "$pod" --subresource=status --type=merge -p '{"status":{"phase":"Running"}}' >/dev/null
  until_ok 60 phase_is Running || fail "the job did not turn Running"
  kubectl get lj -n "$ns" "$name"
  check_events
  [[ $(kubectl get lj -n "$ns" "$name" -o jsonpath='{.status.nodes}') == "$node" ]] || fail "status.nodes is not $node"
  kubectl patch pod -n "$ns" "$pod" --subresource=status --type=merge -p '{"status":{"phase":"Succeeded"}}' >/dev/null
  until_ok 60 phase_is Succeeded || fail "the job did not turn Succeeded"
  kubectl get lj -n "$ns" "$name"
else
  until_ok 300 phase_is Running || fail "the job did not turn Running within 5 minutes (image pull?)"
  kubectl get lj -n "$ns" "$name"
  check_events
  kubectl delete lj -n "$ns" "$name" --wait=true --timeout=120s >/dev/null
  until_ok 120 bash -c "! kubectl get pod -n $ns $pod" || fail "deleting the job did not delete its pod"
fi
echo "e2e: passed"
