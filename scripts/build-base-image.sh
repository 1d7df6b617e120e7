#!/usr/bin/env bash
# Builds localhost/gust-base:slim, a Debian bookworm base with a Java runtime and Debian's python3
# and python3-venv (for Python tasks), from Debian's packages and this machine's JDK: for machines
# that reach no container registry (the public eclipse-temurin image is the Dockerfile's default
# base elsewhere). See shared/CONTAINERS.md. Only what a Gust container uses: apt still works in an
# image built FROM it (README: "Python tasks"). docs/benchmarks.md, "The container and the image",
# has what each cut saved.
#
#   scripts/build-base-image.sh [--force]
#
# Skips the work when the image exists (unless --force). Needs root, debootstrap and podman or docker;
# binutils' strip, if present, takes the symbol tables out of the runtime's native libraries.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=${GUST_BASE_IMAGE:-localhost/gust-base:slim}
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

echo "base image: debootstrap bookworm (minbase + curl + python3 + python3-venv) from $MIRROR ..."
start=$(date +%s)
debootstrap --variant=minbase --include=curl,ca-certificates,python3,python3-venv bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log" >&2; echo "base image: debootstrap failed (log above)" >&2; exit 1; }
# What a runtime image never needs: package caches, docs, man pages, locales other than C, and
# glibc's iconv modules (neither Java nor Python converts through iconv). dpkg is told to leave them
# out too, so that `apt-get install` in an image built FROM this one does not bring them back.
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/gust-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/lib/x86_64-linux-gnu/gconv/*.so
DPKG
rm -rf "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* \
       "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/* "$ROOTFS"/usr/share/lintian/* "$ROOTFS"/var/log/* \
       "$ROOTFS"/usr/lib/x86_64-linux-gnu/gconv/*.so
rm -f "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/lib/dpkg/*-old
# Python's compiled standard library (12 MB of .pyc) only for the modules Gust's task runner
# imports (the import lines of scheduler's operators/python/runtime), with everything they import
# in turn: a task's interpreter starts as fast as with all of them (compiling those would cost
# 0.1 s of CPU a start), and a module a task's own code imports beyond them is compiled when imported.
RUNNER_IMPORTS=$(find "$ROOT/scheduler/src/main/resources/dev/gust/scheduler/operators/python/runtime" -name '*.py' \
  -exec grep -hoE '^(import|from) [A-Za-z_][A-Za-z0-9_.]*' {} + | awk '{print $2}' | sort -u | tr '\n' ' ')
KEEP_PYC=$WORK/keep-pyc
chroot "$ROOTFS" python3 - $RUNNER_IMPORTS >"$KEEP_PYC" <<'PY'
import importlib, importlib.util, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError:
        pass  # the runner's own modules (airflow, _gust_channel), not the standard library's
for module in list(sys.modules.values()):
    path = getattr(module, "__file__", None)
    if path and path.endswith(".py"):
        print(importlib.util.cache_from_source(path))
PY
find "$ROOTFS"/usr/lib/python3* -name '*.pyc' | sed "s|^$ROOTFS||" | sort >"$WORK/all-pyc"
sort "$KEEP_PYC" | comm -23 "$WORK/all-pyc" - | sed "s|^|$ROOTFS|" | xargs -r rm -f
find "$ROOTFS"/usr/lib/python3* -name __pycache__ -type d -empty -delete

# The modules the image's jars use (jdeps --print-module-deps over cli/target/gust/lib, without
# lib/embedded and lib/deploy, which the image leaves out), plus zipfs for reading jars as file
# systems and cryptoki for PKCS#11 keys. jdk.management gives Micrometer the JVM's GC
# notifications. Not jdk.jdi and jdk.attach, which only javassist's HotSwapper names.
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.security.sasl,java.sql,jdk.httpserver,jdk.management,jdk.unsupported,jdk.zipfs,jdk.crypto.cryptoki
echo "base image: jlink runtime from $JAVA_HOME ..."
# java.desktop stays for java.beans (Jinjava's templates, Jackson), without its native libraries
# (6 MB): they draw windows, images, fonts and sound, which no Gust process does.
AWT_LIBS=$(printf '**/%s.so,' libawt libawt_xawt libawt_headless libfontmanager libfreetype liblcms libmlib_image \
  libjavajpeg libsplashscreen libjsound)
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-9 --exclude-files="${AWT_LIBS%,}" --output "$ROOTFS/opt/java"
# The JDK's native libraries carry their symbol tables (5 MB of libjvm.so's 30 MB); a crash report
# then names fewer frames, nothing else changes.
if command -v strip >/dev/null; then
  find "$ROOTFS/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "base image: no strip (apt-get install -y binutils): the runtime keeps its symbol tables (5 MB)" >&2
fi
# No default class data sharing archive (java -Xshare:dump, 14 MB): every Gust process starts from
# the image's own ahead-of-time cache, which holds the JDK's classes as well (README: "Start-up").
# An image built with STARTUP_CACHE=false starts its JVMs without either.

echo "base image: importing as $IMAGE ..."
tar -C "$ROOTFS" -c . | $ENGINE import \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$IMAGE" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 1; }
echo "base image: $IMAGE built in $(( $(date +%s) - start ))s ($($ENGINE image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1000000}'))"
