#!/usr/bin/env bash
# ECS's restart loop, run locally with the real image: an ECS service is "keep N copies of this
# container running"; here that is a container with a restart policy. The script
#   1. builds the distribution and the image (with docker where a Docker engine answers, else podman,
#      on a local base image when no registry is reachable: scripts/build-base-image.sh),
#   2. starts a PostgreSQL on the host (Debian's PostgreSQL 15 binaries, a throwaway data folder),
#   3. runs the webserver and a scheduler as containers with --restart=always and waits for both
#      container health checks,
#   4. triggers a DAG whose tasks record each start and end in a shared folder, SIGKILLs the scheduler
#      container's main process while tasks run, and watches the restart policy bring it back,
#   5. asserts: the container was restarted, the DAG run succeeded with every task succeeded exactly
#      once and no try executed twice, and the webserver answered /health throughout,
#   6. stops both with SIGTERM and checks that they exit 0, and prints a short report.
#
#   scripts/container-test.sh            # everything
#   KEEP=1 scripts/container-test.sh     # leave the containers and the database running afterwards
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { echo "container-test: $*"; }
fail() { echo "container-test: FAILED: $*" >&2; exit 1; }

# --- the container engine ---------------------------------------------------------------------
if [ -n "${GUST_CONTAINER_ENGINE:-}" ]; then
  ENGINE=$GUST_CONTAINER_ENGINE
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  ENGINE=docker
elif command -v podman >/dev/null 2>&1; then
  ENGINE=podman
else
  fail "needs docker (with a running engine) or podman: apt-get install -y podman runc"
fi
if [ "$ENGINE" = podman ]; then
  # crun and podman's default ulimits fail on these machines; see scripts/podman-containers.conf.
  export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/scripts/podman-containers.conf}
  BUILD_FORMAT=(--format docker)   # OCI images drop HEALTHCHECK
else
  BUILD_FORMAT=()
fi
say "engine: $ENGINE"

WEB_PORT=${GUST_TEST_WEB_PORT:-18080}
SCHED_PORT=${GUST_TEST_SCHEDULER_PORT:-18974}
PG_PORT=${GUST_TEST_PG_PORT:-55439}
PG_BIN=${GUST_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
IMAGE=localhost/gust:container-test
PREFIX=gust-ct-$$
WORK=$(mktemp -d /tmp/gust-container-test.XXXXXX)
chmod 0755 "$WORK"
STARTED=$(date +%s)

cleanup() {
  local rc=$?
  if [ "${KEEP:-0}" = 1 ]; then
    say "KEEP=1: containers $PREFIX-* and PostgreSQL on port $PG_PORT left running; work folder $WORK"
    exit $rc
  fi
  [ -n "${HEALTH_WATCH_PID:-}" ] && kill "$HEALTH_WATCH_PID" 2>/dev/null || true
  $ENGINE rm -f -t 0 "$PREFIX-web" "$PREFIX-scheduler" >/dev/null 2>&1 || true
  if [ -d "$WORK/pgdata" ]; then
    su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $WORK/pgdata -m immediate stop" >/dev/null 2>&1 || true
  fi
  if [ $rc -ne 0 ]; then
    for c in web scheduler; do
      [ -f "$WORK/$c.log" ] && { echo "--- last lines of the $c container's log:"; tail -25 "$WORK/$c.log"; }
    done
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

# --- 1. the distribution and the image --------------------------------------------------------
if [ -z "${SKIP_BUILD:-}" ]; then
  . "$ROOT/scripts/find-jdk.sh"; gust_find_jdk
  say "building the distribution (./mvnw -pl cli -am package -DskipTests) ..."
  ./mvnw -B -ntp -q -pl cli -am package -DskipTests >"$WORK/mvn.log" 2>&1 || { tail -30 "$WORK/mvn.log"; fail "the build failed"; }
fi
BASE_ARG=()
if [ -n "${BASE_IMAGE:-}" ]; then
  BASE_ARG=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
elif [ "$ENGINE" = podman ]; then
  # No registry is reachable on these machines: build on a base made from Debian's packages.
  GUST_CONTAINER_ENGINE=$ENGINE scripts/build-base-image.sh
  BASE_ARG=(--build-arg "BASE_IMAGE=localhost/gust-base:slim")
fi
say "building the image ..."
t0=$(date +%s)
$ENGINE build -q "${BUILD_FORMAT[@]}" "${BASE_ARG[@]}" --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  -t "$IMAGE" . >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; fail "the image did not build"; }
IMAGE_MB=$($ENGINE image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f", $1/1000000}')
say "image $IMAGE: ${IMAGE_MB} MB, built in $(( $(date +%s) - t0 ))s"

# --- 2. PostgreSQL on the host ----------------------------------------------------------------
[ -x "$PG_BIN/pg_ctl" ] || fail "needs PostgreSQL server binaries in $PG_BIN: apt-get install -y postgresql-15"
mkdir -p "$WORK/pgdata" && chown postgres "$WORK/pgdata"
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $WORK/pgdata -U gust --auth=trust" >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log"; fail "initdb failed"; }
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $WORK/pgdata -l $WORK/pgdata/server.log -w -o '-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pgdata' start" >/dev/null \
  || fail "PostgreSQL did not start (port $PG_PORT taken?)"
psql_q() { psql -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U gust -d postgres -c "$1"; }
say "PostgreSQL 15 on 127.0.0.1:$PG_PORT"

# --- the workload: a DAG whose tasks record every start and end -------------------------------
TASKS=8
mkdir -p "$WORK/dags" "$WORK/shared"
chmod 0777 "$WORK/shared"
{
  echo "container_workload:"
  echo "  schedule: null"
  echo "  is_paused_upon_creation: false"
  echo "  default_args: {start_date: 2024-01-01, retries: 3, retry_delay: 1s}"
  echo "  tasks:"
  for i in $(seq 1 $TASKS); do
    echo "    work_$i:"
    echo "      operator: bash"
    echo "      bash_command: \"echo start {{ ti.task_id }} {{ ti.try_number }} >> /shared/executions; sleep 6; echo end {{ ti.task_id }} {{ ti.try_number }} >> /shared/executions\""
  done
  # the last task is a Python callable: the image's python3 runs it (issue: Python tasks)
  echo "    finish:"
  echo "      operator: python"
  echo "      python_callable_name: finish"
  echo "      python_callable_file: finish.py"
  echo "      dependencies: [$(seq -s, -f 'work_%g' 1 $TASKS | sed 's/,/, /g')]"
} >"$WORK/dags/container_workload.yaml"
cat >"$WORK/dags/finish.py" <<'PY'
def finish(ti):
    with open("/shared/executions", "a") as executions:
        executions.write(f"start finish {ti.try_number}\nend finish {ti.try_number}\n")
PY

KEY=$(head -c 32 /dev/urandom | base64)
COMMON=(--network host
  -e "GUST_DATABASE__URL=postgresql://gust@127.0.0.1:$PG_PORT/postgres"
  -e "GUST_SECURITY__ENCRYPTION_KEY=$KEY"
  -e "GUST_WEBSERVER__PORT=$WEB_PORT"
  -e "GUST_SCHEDULER__HEALTH_PORT=$SCHED_PORT"
  -e "GUST_SCHEDULER__ZOMBIE_THRESHOLD=10s"
  -e "GUST_SCHEDULER__HEARTBEAT_INTERVAL=1s"
  -v "$WORK/dags:/opt/gust/dags:ro"
  -v "$WORK/shared:/shared")
gust_once() { $ENGINE run --rm "${COMMON[@]}" "$IMAGE" "$@"; }

say "gust db migrate (a one-off container, as the deployment's migration task) ..."
gust_once db migrate | sed 's/^/  /'

# --- 3. webserver and scheduler as services ---------------------------------------------------
health_status() { $ENGINE inspect "$1" --format '{{.State.Health.Status}}' 2>/dev/null || echo unknown; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what did not happen within ${limit}s"
    sleep 0.2
  done
}
healthy() { [ "$(http_code "$1")" = 200 ]; }

start_service() {  # start_service NAME COMMAND
  # podman cannot start its systemd health-check timers here (no systemd): that noise goes to a log.
  $ENGINE run -d --name "$PREFIX-$1" --restart=always --stop-timeout 40 "${COMMON[@]}" "$IMAGE" "$2" >/dev/null 2>>"$WORK/engine.log"
}
t0=$(date +%s.%N)
start_service web webserver
start_service scheduler scheduler
wait_until 60 "the webserver answering /health" healthy "http://127.0.0.1:$WEB_PORT/health"
WEB_READY=$(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.1f')
wait_until 60 "the scheduler answering /health" healthy "http://127.0.0.1:$SCHED_PORT/health"
SCHED_READY=$(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.1f')
say "healthy endpoints: webserver after ${WEB_READY}s, scheduler after ${SCHED_READY}s (both JVMs started together)"
if [ "$ENGINE" = podman ]; then
  # podman runs HEALTHCHECK on a systemd timer that is absent here; run the image's own check once.
  for c in web scheduler; do
    $ENGINE healthcheck run "$PREFIX-$c" >/dev/null || fail "the image's HEALTHCHECK fails in the $c container"
  done
fi
say "the image's HEALTHCHECK passes in both containers: $(health_status "$PREFIX-web") / $(health_status "$PREFIX-scheduler")"

# The webserver's /health, every half second from now to the end.
( while true; do echo "$(date +%s.%N) $(http_code "http://127.0.0.1:$WEB_PORT/health")"; sleep 0.5; done ) >"$WORK/web-health.log" &
HEALTH_WATCH_PID=$!

# --- 4. a DAG run, and a SIGKILL in the middle of it ------------------------------------------
wait_until 60 "the scheduler loading the workload DAG" \
  sh -c "[ \"\$(psql -X -q -t -A -h 127.0.0.1 -p $PG_PORT -U gust -d postgres -c \"SELECT count(*) FROM dag WHERE dag_id = 'container_workload'\")\" = 1 ]"
gust_once dags trigger container_workload --logical-date 2024-06-01 | sed 's/^/  /'
RUN_ID=$(psql_q "SELECT run_id FROM dag_run WHERE dag_id = 'container_workload'")
wait_until 60 "tasks running" sh -c "[ \"\$(grep -c '^start' $WORK/shared/executions 2>/dev/null || echo 0)\" -ge 3 ]"
sleep 1
RUNNING_AT_KILL=$(psql_q "SELECT count(*) FROM task_instance WHERE run_id = '$RUN_ID' AND state = 'running'")
PID=$($ENGINE inspect "$PREFIX-scheduler" --format '{{.State.Pid}}')
RESTARTS_BEFORE=$($ENGINE inspect "$PREFIX-scheduler" --format '{{.RestartCount}}')
say "SIGKILL to the scheduler container's main process (host pid $PID) with $RUNNING_AT_KILL tasks running"
KILLED_AT=$(date +%s.%N)
kill -KILL "$PID"
restarted() { [ "$($ENGINE inspect "$PREFIX-scheduler" --format '{{.RestartCount}}' 2>/dev/null)" -gt "$RESTARTS_BEFORE" ]; }
wait_until 60 "the restart policy restarting the scheduler" restarted
wait_until 90 "the restarted scheduler answering /health" healthy "http://127.0.0.1:$SCHED_PORT/health"
BACK_HEALTHY=$(echo "$(date +%s.%N) - $KILLED_AT" | bc | xargs printf '%.1f')
say "scheduler restarted and healthy ${BACK_HEALTHY}s after the kill"
run_state() { psql_q "SELECT state FROM dag_run WHERE run_id = '$RUN_ID'"; }
finished() { case "$(run_state)" in success|failed) return 0 ;; *) return 1 ;; esac; }
wait_until 180 "the DAG run finishing" finished
RUN_DONE=$(echo "$(date +%s.%N) - $KILLED_AT" | bc | xargs printf '%.1f')

# --- 5. what happened -------------------------------------------------------------------------
STATE=$(run_state)
kill "$HEALTH_WATCH_PID" 2>/dev/null || true; HEALTH_WATCH_PID=
HEALTH_CHECKS=$(wc -l <"$WORK/web-health.log")
HEALTH_BAD=$(awk '$2 != "200"' "$WORK/web-health.log" | wc -l)
SUCCEEDED=$(psql_q "SELECT count(*) FROM task_instance WHERE run_id = '$RUN_ID' AND state = 'success'")
TOTAL=$(psql_q "SELECT count(*) FROM task_instance WHERE run_id = '$RUN_ID'")
TRIES_TWICE=$(grep '^start' "$WORK/shared/executions" | sort | uniq -d | wc -l)
ENDS_TWICE=$(grep '^end' "$WORK/shared/executions" | awk '{print $2}' | sort | uniq -d | wc -l)
ENDED=$(grep '^end' "$WORK/shared/executions" | awk '{print $2}' | sort -u | wc -l)
RESTARTS=$($ENGINE inspect "$PREFIX-scheduler" --format '{{.RestartCount}}')
$ENGINE logs "$PREFIX-web" >"$WORK/web.log" 2>&1 || true
$ENGINE logs "$PREFIX-scheduler" >"$WORK/scheduler.log" 2>&1 || true

# --- 6. SIGTERM, as ECS stops a task ----------------------------------------------------------
say "stopping both containers with SIGTERM ..."
$ENGINE stop -t 40 "$PREFIX-scheduler" "$PREFIX-web" >/dev/null 2>>"$WORK/engine.log"
WEB_EXIT=$($ENGINE inspect "$PREFIX-web" --format '{{.State.ExitCode}}')
SCHED_EXIT=$($ENGINE inspect "$PREFIX-scheduler" --format '{{.State.ExitCode}}')

cat <<REPORT

container-test report ($ENGINE, image ${IMAGE_MB} MB)
  first start to /health 200     webserver ${WEB_READY}s, scheduler ${SCHED_READY}s
  tasks running at the kill      $RUNNING_AT_KILL
  scheduler restarts             $RESTARTS (restart policy)
  kill to scheduler healthy      ${BACK_HEALTHY}s
  kill to run finished           ${RUN_DONE}s
  run outcome                    $STATE; $SUCCEEDED of $TOTAL task instances success
  tasks that ended successfully  $ENDED of $TOTAL, $ENDS_TWICE twice; tries started twice: $TRIES_TWICE
  webserver /health              $(( HEALTH_CHECKS - HEALTH_BAD )) of $HEALTH_CHECKS probes answered 200
  exit codes after SIGTERM       webserver $WEB_EXIT, scheduler $SCHED_EXIT
  total time                     $(( $(date +%s) - STARTED ))s
REPORT

problems=()
[ "$RESTARTS" -ge 1 ] || problems+=("the scheduler was not restarted")
[ "$STATE" = success ] || problems+=("the DAG run ended $STATE")
[ "$SUCCEEDED" = "$TOTAL" ] || problems+=("only $SUCCEEDED of $TOTAL task instances succeeded")
[ "$ENDED" = "$TOTAL" ] && [ "$ENDS_TWICE" = 0 ] || problems+=("not every task succeeded exactly once ($ENDED ended, $ENDS_TWICE twice)")
[ "$TRIES_TWICE" = 0 ] || problems+=("$TRIES_TWICE tries were executed twice")
[ "$RUNNING_AT_KILL" -ge 1 ] || problems+=("no task was running at the kill, so the kill proved nothing")
[ "$HEALTH_BAD" = 0 ] || problems+=("the webserver's /health failed $HEALTH_BAD times")
[ "$WEB_EXIT" = 0 ] && [ "$SCHED_EXIT" = 0 ] || problems+=("exit codes after SIGTERM: webserver $WEB_EXIT, scheduler $SCHED_EXIT")
if [ ${#problems[@]} -gt 0 ]; then
  printf '  - %s\n' "${problems[@]}" >&2
  fail "${#problems[@]} checks failed"
fi
say "PASSED"
