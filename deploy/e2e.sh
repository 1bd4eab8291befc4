#!/usr/bin/env bash
# The Kubernetes end-to-end test, steps 1-7: build (cached) Kubernetes, start the local cluster and its
# registry on 127.0.0.1:5000, build the images, push them with ./lab images (the user's path), apply the
# overlay it writes on top of k8s/overlays/local so the kubelet pulls them, then every mode under pod kills of
# the producer, the consumer and the leading Kafka pod and the consumers scaled 2 -> 3 -> 2 (./lab run --target k8s, from the host), then
# the in-cluster chaos Job, then tear everything down. Exit code non-zero if a mode broke its promise.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
state="${DELIVERYLAB_K8S_STATE:-/var/lib/deliverylab-k8s}"
export KUBECONFIG="$state/admin.kubeconfig"
stage() { echo "== [k8s $(date +%T)] $*"; }
t0=$(date +%s)

stage "1-2 packages and Kubernetes v1.20.2 binaries"
deploy/k8s-build.sh
[ -f lab-cli/target/lab.jar ] && [ -f producer-service/target/quarkus-app/quarkus-run.jar ] \
  || ./mvnw -B -q install -DskipTests

# On a failure, keep what the pods said (and said before their last restart) before the cluster goes.
keep_logs() {
  local out=target/k8s-lab/logs
  mkdir -p "$out"
  kubectl -n deliverylab get pods -o wide > "$out/pods.txt" 2>&1 || true
  kubectl -n deliverylab get events --sort-by=.lastTimestamp > "$out/events.txt" 2>&1 || true
  # Where each Service sends its traffic, and what the producer answers there and at its pod's own address.
  { kubectl -n deliverylab get endpoints -o wide; kubectl -n deliverylab get services -o wide
    iptables-save 2>/dev/null | grep 'deliverylab/producer'
    for ip in $(kubectl -n deliverylab get service producer -o jsonpath='{.spec.clusterIP}') \
              $(kubectl -n deliverylab get pod producer-0 -o jsonpath='{.status.podIP}'); do
      echo "GET http://$ip:8081/runs: $(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$ip:8081/runs" 2>&1)"
    done; } > "$out/network.txt" 2>&1 || true
  for pod in $(kubectl -n deliverylab get pods -o name 2>/dev/null); do
    kubectl -n deliverylab logs "$pod" --all-containers > "$out/${pod#pod/}.log" 2>&1 || true
    kubectl -n deliverylab logs "$pod" --all-containers --previous > "$out/${pod#pod/}.previous.log" 2>/dev/null || true
  done
  echo "pod logs kept in $out"
}
trap 'rc=$?; [ $rc -eq 0 ] || keep_logs; stage "7 teardown"; deploy/cluster.sh down' EXIT
stage "3 cluster up"
deploy/cluster.sh up
stage "4 images, pushed to the registry by ./lab images"
deploy/images.sh
# The user's command; the offline stand-ins of apache/kafka and postgres go along with --add.
publish() { # overlay of k8s/overlays, extra --add arguments...
  local overlay=$1; shift
  ./lab --work-dir target/k8s-lab images --registry 127.0.0.1:5000 --tls-verify=false --push --tag local \
    --from localhost/deliverylab-jre:local --overlay "k8s/overlays/$overlay" --out "target/k8s-lab/overlays/$overlay" \
    --add apache/kafka=localhost/deliverylab-kafka:local --add postgres=localhost/deliverylab-postgres:local "$@"
}
# containerd keeps its images across clusters: forget the registry's, so the kubelet must pull them.
ctr_=(ctr -a "$state/containerd/containerd.sock" -n k8s.io)
"${ctr_[@]}" images ls -q | { grep '^127.0.0.1:5000/' || true; } | xargs -r "${ctr_[@]}" images rm >/dev/null
publish local
curl -fsS http://127.0.0.1:5000/v2/_catalog; echo
stage "5 kubectl apply -k target/k8s-lab/overlays/local (k8s/overlays/local with the registry's images)"
kubectl create namespace deliverylab
kubectl -n deliverylab create secret generic postgres-credentials --from-literal=password="$(openssl rand -hex 16)"
kubectl -n deliverylab create secret generic deliverylab-api-token --from-literal=token="$(openssl rand -hex 24)"
kubectl apply -k target/k8s-lab/overlays/local
for w in statefulset/kafka statefulset/postgres statefulset/producer deployment/consumer; do
  kubectl -n deliverylab rollout status "$w" --timeout=600s
done
kubectl -n deliverylab get pods -o wide
# A container that restarted while the stack came up: why it ended, and the last it said before.
for pod in $(kubectl -n deliverylab get pods -o jsonpath='{range .items[?(@.status.containerStatuses[0].restartCount>0)]}{.metadata.name}{" "}{end}'); do
  echo "$pod restarted: $(kubectl -n deliverylab get pod "$pod" -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason} (exit {.status.containerStatuses[0].lastState.terminated.exitCode})')"
  kubectl -n deliverylab logs "$pod" --previous --tail=5 2>/dev/null | cut -c1-240 | sed 's/^/    /' || true
done
echo "the kubelet's image pulls:"
kubectl -n deliverylab get events --field-selector reason=Pulled -o custom-columns=POD:.involvedObject.name,MESSAGE:.message \
  | sed 's/^/  /'
kubectl -n deliverylab get events --field-selector reason=Pulled -o jsonpath='{.items[*].message}' | grep -q 'Successfully pulled image "127.0.0.1:5000/' \
  || { echo "no image was pulled from the registry"; exit 1; }

stage "6 pod kills through the Kubernetes API: ./lab run --target k8s"
./lab --work-dir target/k8s-lab run --target k8s --messages "${E2E_MESSAGES:-1200}" --rate 200 \
  --workload bank --faults "kill-producer;kill-consumer;kill-leader;add-consumer" --out target/k8s-lab/results

stage "6b the in-cluster chaos Job (lab image, chaos-runner ServiceAccount)"
publish local-chaos >/dev/null
kubectl apply -k target/k8s-lab/overlays/local-chaos
for _ in $(seq 300); do
  done_=$(kubectl -n deliverylab get job chaos -o jsonpath='{.status.succeeded}{.status.failed}')
  [ -n "$done_" ] && break
  sleep 1
done
kubectl -n deliverylab logs job/chaos | grep -vE "produced .* applied" | tail -8
[ "$(kubectl -n deliverylab get job chaos -o jsonpath='{.status.succeeded}')" = "1" ] \
  || { echo "the in-cluster chaos Job failed"; exit 1; }
stage "end to end in $(( $(date +%s) - t0 )) s"
