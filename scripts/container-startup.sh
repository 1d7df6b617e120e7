#!/usr/bin/env bash
# Times a container from `run` to healthy, and prints the image's size: the container half of
# `gust bench startup` (docs/benchmarks.md, "Start-up"). PostgreSQL 15 runs on the host (as in
# scripts/container-test.sh); each run starts the webserver or the scheduler container and polls
# its /health from the host every 20 ms until it answers 200.
#
#   scripts/container-startup.sh [IMAGE] [RUNS]     # default: localhost/gust:startup, 5 runs
#
# Build the image first, e.g. on a machine without a registry:
#   scripts/build-base-image.sh
#   podman build --format docker --build-arg BASE_IMAGE=localhost/gust-base:slim -t localhost/gust:startup .
#   podman build --format docker --build-arg BASE_IMAGE=localhost/gust-base:slim --build-arg STARTUP_CACHE=false -t localhost/gust:startup-nocache .
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=${1:-localhost/gust:startup}
RUNS=${2:-5}
ENGINE=${GUST_CONTAINER_ENGINE:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}
RUN_OPTS=()
if [ "$ENGINE" = podman ]; then
  export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/scripts/podman-containers.conf}
  RUN_OPTS=(--runtime runc --ulimit host)
fi
PG_PORT=${GUST_TEST_PG_PORT:-55441}
PG_BIN=${GUST_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
WEB_PORT=18181
SCHED_PORT=18975
WORK=$(mktemp -d /tmp/gust-container-startup.XXXXXX)
chmod 0755 "$WORK"
cleanup() {
  $ENGINE rm -f gust-startup >/dev/null 2>&1 || true
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $WORK/pgdata -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/pgdata" && chown postgres "$WORK/pgdata"
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $WORK/pgdata -U gust --auth=trust" >"$WORK/initdb.log" 2>&1
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $WORK/pgdata -l $WORK/pgdata/server.log -w -o '-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pgdata' start" >/dev/null
KEY=$(head -c 32 /dev/urandom | base64)
COMMON=(--network host "${RUN_OPTS[@]}"
  -e "GUST_DATABASE__URL=postgresql://gust@127.0.0.1:$PG_PORT/postgres"
  -e "GUST_SECURITY__ENCRYPTION_KEY=$KEY"
  -e "GUST_WEBSERVER__PORT=$WEB_PORT"
  -e "GUST_SCHEDULER__HEALTH_PORT=$SCHED_PORT")
$ENGINE run --rm "${COMMON[@]}" "$IMAGE" db migrate >/dev/null

now_ms() { date +%s%3N; }
echo "image $IMAGE: $($ENGINE image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1000000}')"
for component in webserver scheduler; do
  port=$WEB_PORT; [ "$component" = scheduler ] && port=$SCHED_PORT
  times=()
  for _ in $(seq 1 "$RUNS"); do
    start=$(now_ms)
    $ENGINE run -d --name gust-startup "${COMMON[@]}" "$IMAGE" "$component" >/dev/null
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/health" || true)" = 200 ]; do
      [ $(( $(now_ms) - start )) -lt 120000 ] || { $ENGINE logs gust-startup | tail -20; exit 1; }
      sleep 0.02
    done
    times+=($(( $(now_ms) - start )))
    $ENGINE rm -f gust-startup >/dev/null
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$component: run to healthy, ms: median $median (all: $sorted) load $(cut -d' ' -f1 /proc/loadavg)"
done
