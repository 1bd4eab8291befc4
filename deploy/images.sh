#!/usr/bin/env bash
# Step 4: the local cluster's images, built offline. A debootstrap minbase rootfs with
# openjdk-17-jre-headless and PostgreSQL is imported into podman once (cached). On it: the stand-ins for
# the official apache/kafka and postgres images (same environment contract), a JRE base with the UBI
# image's run-java.sh, so the services and the lab build from their own src/main/docker Containerfiles.
# deploy/e2e.sh then pushes them through the registry with ./lab images. With --load (the fallback when no
# registry can serve) every image is also loaded straight into the cluster's containerd.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${DELIVERYLAB_K8S_CACHE:-/var/cache/deliverylab/k8s}"
state="${DELIVERYLAB_K8S_STATE:-/var/lib/deliverylab-k8s}"
sock="$state/containerd/containerd.sock"

mkdir -p /etc/containers
if ! grep -qs 'runtime = "runc"' /etc/containers/containers.conf; then
  # crun fails here on setrlimit and hybrid cgroups
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000","nproc=16384:16384"]\n[engine]\nruntime = "runc"\n' \
    > /etc/containers/containers.conf
fi

[ -f /etc/containers/policy.json ] || echo '{"default": [{"type": "insecureAcceptAnything"}]}' > /etc/containers/policy.json

if ! podman image exists localhost/deliverylab-base:local; then
  rootfs="$cache/rootfs"
  if [ ! -x "$rootfs/usr/bin/java" ]; then
    echo "[images] debootstrap minbase + openjdk-17-jre-headless + postgresql (about 2 minutes, once)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,postgresql,postgresql-client bookworm "$rootfs" \
      >"$cache/debootstrap.log" 2>&1 || { tail -20 "$cache/debootstrap.log"; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    chroot "$rootfs" sh -c 'mkdir -p /deployments /var/lib/kafka /var/run/postgresql && chown 999 /var/run/postgresql'
  fi
  echo "[images] importing the base image"
  tar -C "$rootfs" -c . | podman import -q - localhost/deliverylab-base:local >/dev/null
fi

cd "$repo"
# The pod sandbox ("pause") container: it only has to hold the pod's namespaces.
printf 'FROM localhost/deliverylab-base:local\nENTRYPOINT ["sleep", "infinity"]\n' \
  | podman build -q --pull=never -f - -t localhost/deliverylab-pause:local . >/dev/null
printf 'FROM localhost/deliverylab-base:local\nCOPY deploy/images/run-java.sh /opt/jboss/container/java/run/run-java.sh\n' \
  | podman build -q --pull=never -f - -t localhost/deliverylab-jre:local . >/dev/null
podman build -q --pull=never -f deploy/images/kafka.Containerfile -t localhost/deliverylab-kafka:local . >/dev/null
podman build -q --pull=never -f deploy/images/postgres.Containerfile -t localhost/deliverylab-postgres:local . >/dev/null
# The services and the lab, as a user builds them (without pushing): localhost/deliverylab/{producer-service,consumer-service,lab}:local
./lab --work-dir target/k8s-lab images --registry localhost --tag local --from localhost/deliverylab-jre:local >/dev/null

if [ -S "$sock" ]; then
  # The pod sandbox image is the cluster's own, never pulled.
  podman save --format docker-archive localhost/deliverylab-pause:local | ctr -a "$sock" -n k8s.io images import - >/dev/null
  if [ "${1:-}" = "--load" ]; then
    # One multi-image archive: the shared base layer is written once.
    podman save -m --format docker-archive localhost/deliverylab-{kafka,postgres}:local \
      localhost/deliverylab/{producer-service,consumer-service,lab}:local | ctr -a "$sock" -n k8s.io images import - >/dev/null
    echo "[images] loaded into containerd"
  fi
fi
