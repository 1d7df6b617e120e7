# The one Gust image: the scheduler, the webserver and the ECS worker, chosen by the command
# (`gust webserver`, `gust scheduler`, `gust tasks run ...`). It copies the distribution that
# `./mvnw -pl cli -am package -DskipTests` builds in cli/target/gust (README: "Container image").
#
#   docker build -t gust .                       # public Temurin JRE base
#   podman build --build-arg BASE_IMAGE=localhost/gust-base:slim -t gust .   # offline machines
#
# The base must have a Java 21+ runtime on the PATH (or JAVA_HOME), /bin/sh and curl; Python tasks
# need python3 and its venv module, installed from the base's packages when it lacks them. The
# image leaves out lib/embedded and lib/deploy: containers never run the embedded PostgreSQL or
# `gust deploy` (docs/benchmarks.md, "The image's size").
ARG BASE_IMAGE=eclipse-temurin:21-jre

FROM ${BASE_IMAGE} AS distribution
COPY cli/target/gust/ /opt/gust/
# The start-up cache (README: "Start-up") serves only the runtime it was trained on, so the build
# machine's is dropped and one is trained here for this base's Java (a short run against the
# embedded PostgreSQL, as the build does; about a minute). STARTUP_CACHE=false skips it: an image
# about 50 MB smaller whose processes start without a cache.
ARG STARTUP_CACHE=true
RUN rm -rf /opt/gust/aot \
 && chmod 0755 /opt/gust/bin/gust /opt/gust/bin/gust-healthcheck \
 && mkdir -p /opt/gust/dags /opt/gust/plugins /var/lib/gust \
 && chown -R 10001:0 /opt/gust \
 && (getent passwd 10001 >/dev/null || echo "gust:x:10001:0:gust:/tmp:/bin/sh" >> /etc/passwd)
# PostgreSQL refuses to run as root, and initdb wants the uid to have a name (in this stage only).
USER 10001:0
RUN if [ "$STARTUP_CACHE" = true ]; then \
      java --enable-native-access=ALL-UNNAMED -cp '/opt/gust/lib/*:/opt/gust/lib/embedded/*' \
        dev.gust.cli.startup.StartupCacheTraining /opt/gust; \
    fi
USER 0:0
# Containers use an external PostgreSQL (RDS); the embedded one's binaries (75 MB for four
# platforms, in lib/embedded, after the cache's class path) are only for `gust standalone` on a laptop.
# lib/deploy, the AWS clients only `gust deploy` uses (38 MB), serves a workstation, not a container.
RUN rm -rf /opt/gust/lib/embedded /opt/gust/lib/deploy

FROM ${BASE_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG SOURCE=https://github.com/gust-scheduler/gust
LABEL org.opencontainers.image.title="gust" \
      org.opencontainers.image.description="Airflow-style job scheduler for ECS Fargate: scheduler, webserver and worker" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"
# Python tasks (the python operators) run in the distribution's python3 (python3-venv for the
# python_virtualenv operator); add your packages by building FROM this image (README: "Python
# tasks"). The local base already has both: no network.
# (-B: the check writes no bytecode into the layer; apt's package caches go with its lists.)
RUN python3 -B -c 'import ensurepip, venv' >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
     && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin)
# The Python packages the tasks import: `gust deploy up` passes deploy.yaml's python_requirements
# here, one requirement a line (README: "deploy.yaml"); empty, the default, installs nothing. pip
# comes from the base's packages when python3 has none; Debian's python3 is "externally managed",
# which an image of our own may override.
ARG PYTHON_REQUIREMENTS=""
RUN if [ -n "$PYTHON_REQUIREMENTS" ]; then \
      (python3 -m pip --version >/dev/null 2>&1 \
       || (apt-get update && apt-get install -y --no-install-recommends python3-pip \
           && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin)) \
      && printf '%s\n' "$PYTHON_REQUIREMENTS" > /tmp/gust-requirements.txt \
      && PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
         python3 -m pip install --no-cache-dir -r /tmp/gust-requirements.txt \
      && rm -f /tmp/gust-requirements.txt; \
    fi
# A fixed, non-root uid: ECS and Kubernetes check for it, and nothing in the image needs root.
COPY --from=distribution --chown=10001:0 /opt/gust /opt/gust
COPY --from=distribution --chown=10001:0 /var/lib/gust /var/lib/gust
# Only the example DAGs: a deployment's scheduler replaces this folder with its DAG bundle from S3
# (dag_bundle.s3_uri, uploaded by `gust deploy dags`), which it renames into place: /opt/gust stays
# writable by the uid below for that.
COPY --chown=10001:0 dags/ /opt/gust/dags/
ENV PATH=/opt/gust/bin:$PATH \
    GUST_CORE__HOME=/var/lib/gust \
    GUST_CORE__DAGS_FOLDER=/opt/gust/dags \
    GUST_WEBSERVER__HOST=0.0.0.0 \
    GUST_LOGGING__FORMAT=json \
    GUST_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:0
WORKDIR /var/lib/gust
EXPOSE 8080 8974
# ECS's container health check is defined in the task definition; this one serves docker/podman.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/bin/sh", "/opt/gust/bin/gust-healthcheck"]
# Exec form: the JVM is PID 1 and receives ECS's SIGTERM itself.
ENTRYPOINT ["/opt/gust/bin/gust"]
CMD ["webserver"]
