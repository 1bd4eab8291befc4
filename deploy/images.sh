#!/usr/bin/env bash
# Step 4: the local cluster's images, built without a registry. A debootstrap minbase rootfs with
# openjdk-17-jre-headless and PostgreSQL is imported into podman once (cached), the app, the Kafka
# jars and start scripts are layered on it, and every image is loaded into the cluster's containerd.
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
podman build -q --pull=never -f deploy/images/kafka.Containerfile -t localhost/deliverylab-kafka:local . >/dev/null
podman build -q --pull=never -f deploy/images/postgres.Containerfile -t localhost/deliverylab-postgres:local . >/dev/null
podman build -q --pull=never -f deploy/images/service.Containerfile --build-arg MODULE=producer-service \
  -t localhost/deliverylab-producer:local . >/dev/null
podman build -q --pull=never -f deploy/images/service.Containerfile --build-arg MODULE=consumer-service \
  -t localhost/deliverylab-consumer:local . >/dev/null
podman build -q --pull=never -f deploy/images/lab.Containerfile -t localhost/deliverylab-lab:local . >/dev/null

if [ -S "$sock" ]; then
  # One multi-image archive: the shared base layer is written once.
  podman save -m --format docker-archive localhost/deliverylab-{pause,kafka,postgres,producer,consumer,lab}:local \
    | ctr -a "$sock" -n k8s.io images import - >/dev/null
  echo "[images] loaded into containerd"
fi
