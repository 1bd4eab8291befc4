#!/usr/bin/env bash
# Steps 1-2 of the local cluster: Debian packages, then Kubernetes v1.20.2 built from Debian's own
# source package (no registry ships kube-apiserver/kubelet binaries that reach these machines).
# The binaries are cached in $DELIVERYLAB_K8S_CACHE (default /var/cache/deliverylab/k8s): ~9 min once.
set -euo pipefail
cache="${DELIVERYLAB_K8S_CACHE:-/var/cache/deliverylab/k8s}"
bins=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

export DEBIAN_FRONTEND=noninteractive
dpkg --configure -a --force-confdef --force-confold >/dev/null 2>&1 || true  # finish any interrupted install first
need=()
for p in golang-go rsync jq etcd-server containerd runc containernetworking-plugins iptables podman debootstrap \
         openssl dpkg-dev conntrack docker-registry curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)  # any kubectl will do
if [ ${#need[@]} -gt 0 ]; then
  echo "[k8s-build] installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}" >/dev/null
fi

if [ -x "$cache/bin/kubelet" ] && [ "$(cat "$cache/bin/VERSION" 2>/dev/null)" = "v1.20.2" ]; then
  echo "[k8s-build] cached binaries in $cache/bin"; exit 0
fi
echo "[k8s-build] building Kubernetes v1.20.2 from Debian's source package into $cache (about 9 minutes)"
mkdir -p "$cache/src"
if ! grep -rqsE "^(deb-src |Types:.*deb-src)" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > /etc/apt/sources.list.d/deliverylab-src.sources
  apt-get update -qq
fi
cd "$cache/src"
if [ ! -d kubernetes-src ]; then
  apt-get source --download-only kubernetes >/dev/null
  dpkg-source -x kubernetes_*.dsc kubernetes-src >/dev/null
fi
cd kubernetes-src
mkdir -p .go/src/k8s.io && ln -sfn ../../.. .go/src/k8s.io/kubernetes
GOPATH=$PWD/.go CGO_ENABLED=0 GOPROXY=off \
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet cmd/kube-proxy" >../build.log 2>&1 \
  || { tail -30 ../build.log; exit 1; }
mkdir -p "$cache/bin"
for b in "${bins[@]}"; do cp "_output/local/bin/linux/amd64/$b" "$cache/bin/$b"; done
echo v1.20.2 > "$cache/bin/VERSION"
echo "[k8s-build] done: $cache/bin"
