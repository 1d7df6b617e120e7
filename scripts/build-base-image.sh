#!/usr/bin/env bash
# Builds localhost/gust-base:py3, a Debian bookworm base with a Java runtime and Debian's python3
# (for Python tasks), from Debian's
# packages and this machine's JDK: for machines that reach no container registry (the public
# eclipse-temurin image is the Dockerfile's default base elsewhere). See shared/CONTAINERS.md.
#
#   scripts/build-base-image.sh [--force]
#
# Skips the work when the image exists (unless --force). Needs root, debootstrap and podman or docker.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=${GUST_BASE_IMAGE:-localhost/gust-base:py3}
ENGINE=${GUST_CONTAINER_ENGINE:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}

if [ "${1:-}" != "--force" ] && $ENGINE image exists "$IMAGE" 2>/dev/null; then
  echo "base image: $IMAGE exists (use --force to rebuild)"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "base image: needs debootstrap (apt-get install -y debootstrap)" >&2; exit 1; }
GUST_QUIET_JDK=1 . "$ROOT/scripts/find-jdk.sh"
gust_find_jdk
# Debian's own mirror as this machine's apt sources name it (no other network is reachable).
MIRROR=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
WORK=$(mktemp -d /tmp/gust-base.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/rootfs

echo "base image: debootstrap bookworm (minbase + curl + python3) from $MIRROR ..."
start=$(date +%s)
debootstrap --variant=minbase --include=curl,ca-certificates,python3 bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log" >&2; echo "base image: debootstrap failed (log above)" >&2; exit 1; }
# What a runtime image never needs: package caches, docs, man pages, locales other than C.
rm -rf "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
       "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/* "$ROOTFS"/var/log/*

# The modules Gust's distribution uses (jdeps over cli/target/gust/lib, without the embedded
# PostgreSQL binaries that containers never run), plus zipfs for reading jars as file systems.
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,jdk.attach,jdk.httpserver,jdk.jdi,jdk.unsupported,jdk.zipfs,jdk.crypto.cryptoki
echo "base image: jlink runtime from $JAVA_HOME ..."
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$ROOTFS/opt/java"
# The runtime's default CDS archive makes every JVM start faster.
"$ROOTFS/opt/java/bin/java" -Xshare:dump >/dev/null 2>&1 || true

echo "base image: importing as $IMAGE ..."
tar -C "$ROOTFS" -c . | $ENGINE import \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$IMAGE" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 1; }
echo "base image: $IMAGE built in $(( $(date +%s) - start ))s ($($ENGINE image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1000000}'))"
