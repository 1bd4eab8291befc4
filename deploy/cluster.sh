#!/usr/bin/env bash
# Step 3 and 7: a real single-node Kubernetes v1.20.2 on loopback, and its complete teardown.
#   deploy/cluster.sh up     a registry on 127.0.0.1:5000, etcd, kube-apiserver, controller-manager, scheduler, containerd, kubelet, kube-proxy
#   deploy/cluster.sh down   stops them; removes pods' containers, mounts, network namespaces, the bridge and
#                            every iptables rule added (the tables are restored to how `up` found them)
# Pods live in network namespaces this run creates, on a bridge with no route off the machine.
set -euo pipefail
cache="${DELIVERYLAB_K8S_CACHE:-/var/cache/deliverylab/k8s}"
state="${DELIVERYLAB_K8S_STATE:-/var/lib/deliverylab-k8s}"
bin="$cache/bin"
bridge=dlab0
pod_cidr=10.244.0.0/24
# The API server listens on the pods' bridge, not on loopback: pods (the in-cluster chaos Job) must
# reach it too, and the bridge address is this machine's own, on a bridge that routes nowhere else.
api_ip=10.244.0.1
svc_cidr=10.96.0.0/24
# The image registry the cluster pulls from: Debian's docker-registry, on loopback only (containerd
# pulls from the host's network namespace, so nothing off the machine can reach it).
registry=127.0.0.1:5000
export KUBECONFIG="$state/admin.kubeconfig"

log() { echo "[cluster] $*"; }

start() { # name, then the command; output to $state/logs/name.log, pid to $state/pids/name
  local name=$1; shift
  "$@" >"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/pids/$name"
}

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  log "timed out waiting for $what"; return 1
}

pki() {
  local d="$state/pki"
  [ -f "$d/apiserver.crt" ] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=deliverylab-ca -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout "$d/apiserver.key" -out "$d/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:10.244.0.1,IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc\n' >"$d/san.ext"
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -extfile "$d/san.ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  echo "$(openssl rand -hex 16),admin,admin,system:masters" >"$d/tokens.csv"
}

up() {
  [ -x "$bin/kubelet" ] || { log "no Kubernetes binaries in $bin: run deploy/k8s-build.sh"; exit 1; }
  if [ -f "$state/pids/kube-apiserver" ] && kill -0 "$(cat "$state/pids/kube-apiserver")" 2>/dev/null; then
    log "already up"; return 0
  fi
  mkdir -p "$state"/{logs,pids,etcd,kubelet,cni/net.d,containerd}
  pki
  local token; token=$(cut -d, -f1 "$state/pki/tokens.csv")
  ip link add $bridge type bridge 2>/dev/null || true
  ip addr add $api_ip/24 dev $bridge 2>/dev/null || true
  ip link set $bridge up
  kubectl config --kubeconfig="$KUBECONFIG" set-cluster local --server=https://$api_ip:6443 \
    --certificate-authority="$state/pki/ca.crt" --embed-certs >/dev/null
  kubectl config --kubeconfig="$KUBECONFIG" set-credentials admin --token="$token" >/dev/null
  kubectl config --kubeconfig="$KUBECONFIG" set-context local --cluster=local --user=admin >/dev/null
  kubectl config --kubeconfig="$KUBECONFIG" use-context local >/dev/null

  log "etcd"
  start etcd etcd --data-dir "$state/etcd" --listen-client-urls http://127.0.0.1:23790 \
    --advertise-client-urls http://127.0.0.1:23790 --listen-peer-urls http://127.0.0.1:23800
  log "kube-apiserver"
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers=http://127.0.0.1:23790 \
    --secure-port=6443 --bind-address=$api_ip --advertise-address=$api_ip --insecure-port=0 \
    --token-auth-file="$state/pki/tokens.csv" --client-ca-file="$state/pki/ca.crt" \
    --tls-cert-file="$state/pki/apiserver.crt" --tls-private-key-file="$state/pki/apiserver.key" \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$state/pki/sa.pub" \
    --service-account-signing-key-file="$state/pki/sa.key" --authorization-mode=Node,RBAC \
    --service-cluster-ip-range=$svc_cidr --kubelet-preferred-address-types=Hostname --allow-privileged=true
  wait_for kube-apiserver 90 kubectl get --raw /readyz
  log "controller-manager, scheduler"
  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$KUBECONFIG" --leader-elect=false \
    --service-account-private-key-file="$state/pki/sa.key" --root-ca-file="$state/pki/ca.crt" \
    --bind-address=127.0.0.1 --port=0
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig="$KUBECONFIG" --leader-elect=false --bind-address=127.0.0.1 --port=0

  log "containerd"
  cat >"$state/containerd/config.toml" <<CONF
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
[grpc]
  address = "$state/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/deliverylab-pause:local"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$state/containerd/certs.d"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$state/cni/net.d"
CONF
  cat >"$state/cni/net.d/10-deliverylab.conflist" <<CONF
{"cniVersion": "0.4.0", "name": "deliverylab", "plugins": [
  {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "subnet": "$pod_cidr", "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": "$state/cni/ipam"}},
  {"type": "loopback"}
]}
CONF
  mkdir -p "$state/containerd/certs.d/$registry"
  printf 'server = "http://%s"\n[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' $registry $registry \
    >"$state/containerd/certs.d/$registry/hosts.toml"
  start containerd containerd --config "$state/containerd/config.toml"
  wait_for containerd 30 test -S "$state/containerd/containerd.sock"

  # Routing between pods and to Service addresses, never off the machine.
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  iptables -I FORWARD -i $bridge ! -o $bridge -j DROP
  iptables -I FORWARD -o $bridge ! -i $bridge -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP

  log "registry on $registry (docker-registry)"
  mkdir -p "$state/registry"
  cat >"$state/registry.yml" <<CONF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $state/registry}
  delete: {enabled: true}
http:
  addr: $registry
CONF
  start registry docker-registry serve "$state/registry.yml"
  wait_for registry 30 curl -fsS "http://$registry/v2/"

  log "kubelet, kube-proxy"
  start kubelet "$bin/kubelet" --kubeconfig="$KUBECONFIG" --root-dir="$state/kubelet" \
    --container-runtime=remote --container-runtime-endpoint="unix://$state/containerd/containerd.sock" \
    --cgroup-driver=cgroupfs --cgroups-per-qos=false --enforce-node-allocatable= --fail-swap-on=false \
    --hostname-override=localhost --address=127.0.0.1 --resolv-conf= --read-only-port=0 \
    --eviction-hard='memory.available<100Mi,nodefs.available<1%,imagefs.available<1%' \
    --image-gc-high-threshold=100 --image-gc-low-threshold=99
  start kube-proxy "$bin/kube-proxy" --kubeconfig="$KUBECONFIG" --proxy-mode=iptables --hostname-override=localhost \
    --cluster-cidr=$pod_cidr --conntrack-max-per-core=0 --bind-address=127.0.0.1 --metrics-bind-address=127.0.0.1:10249 \
    --healthz-bind-address=127.0.0.1:10256
  wait_for "node Ready" 120 sh -c "kubectl get node localhost -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
  wait_for "default service account" 60 kubectl -n default get serviceaccount default
  log "up: export KUBECONFIG=$KUBECONFIG"
}

# Every rule and chain that kube-proxy, the kubelet, CNI or this script added (KUBE-*, CNI-*, the bridge's).
remove_iptables_rules() {
  local ipt t rule chain
  for ipt in iptables ip6tables iptables-legacy ip6tables-legacy; do
    command -v $ipt >/dev/null 2>&1 || continue
    for t in filter nat mangle; do
      { $ipt -t $t -S 2>/dev/null || true; } | { grep -E "^-A .*(KUBE-|CNI-|$bridge)" || true; } | sed 's/^-A/-D/' | while read -r rule; do
        eval "$ipt -t $t $rule" 2>/dev/null || true
      done
      for chain in $($ipt -t $t -S 2>/dev/null | awk '/^-N (KUBE-|CNI-)/{print $2}' || true); do
        $ipt -t $t -F "$chain" 2>/dev/null || true
      done
      for chain in $($ipt -t $t -S 2>/dev/null | awk '/^-N (KUBE-|CNI-)/{print $2}' || true); do
        $ipt -t $t -X "$chain" 2>/dev/null || true
      done
    done
  done
}

down() {
  [ -d "$state/pids" ] || { log "nothing to stop"; return 0; }
  if [ -S "$state/containerd/containerd.sock" ]; then
    kubectl delete namespace deliverylab --wait=false >/dev/null 2>&1 || true
  fi
  for name in registry kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [ -f "$state/pids/$name" ] && kill "$(cat "$state/pids/$name")" 2>/dev/null || true
  done
  sleep 2
  # Pod containers outlive the kubelet: stop their shims, then containerd.
  if [ -S "$state/containerd/containerd.sock" ]; then
    local c ctr_=(ctr -a "$state/containerd/containerd.sock" -n k8s.io)
    for c in $("${ctr_[@]}" tasks ls -q 2>/dev/null); do
      "${ctr_[@]}" tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true
    done
    sleep 1
    for c in $("${ctr_[@]}" containers ls -q 2>/dev/null); do
      "${ctr_[@]}" tasks delete -f "$c" >/dev/null 2>&1 || true
      "${ctr_[@]}" containers delete "$c" >/dev/null 2>&1 || true
    done
  fi
  pkill -9 -f "containerd-shim-runc-v2 .*-address $state/containerd" 2>/dev/null || true
  [ -f "$state/pids/containerd" ] && kill "$(cat "$state/pids/containerd")" 2>/dev/null || true
  for name in registry kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do
    [ -f "$state/pids/$name" ] && kill -9 "$(cat "$state/pids/$name")" 2>/dev/null || true
  done
  sleep 1
  { grep " $state" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}' || true); do ip netns delete "$ns" 2>/dev/null || true; done
  ip link delete $bridge 2>/dev/null || true
  remove_iptables_rules
  rm -rf "$state/pids" "$state/registry" "$state/etcd" "$state/kubelet" "$state/containerd/state" "$state/cni/ipam" "$state/pki"
  local left=""
  pgrep -f "$bin/|etcd --data-dir $state|containerd --config $state|docker-registry serve $state|-address $state/containerd" >/dev/null && left+=" processes"
  grep -q " $state" /proc/mounts && left+=" mounts"
  ip link show $bridge >/dev/null 2>&1 && left+=" bridge"
  ip netns list 2>/dev/null | grep -q '^cni-' && left+=" netns"
  iptables-save 2>/dev/null | grep -qE "KUBE-|CNI-|$bridge" && left+=" iptables"
  [ -z "$left" ] || { log "left behind:$left"; return 1; }
  log "down: no process, mount, bridge or iptables rule of the cluster is left"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
