package dev.gust.core.config;

import static dev.gust.core.config.ConfigType.BOOLEAN;
import static dev.gust.core.config.ConfigType.BYTES;
import static dev.gust.core.config.ConfigType.DURATION;
import static dev.gust.core.config.ConfigType.INTEGER;
import static dev.gust.core.config.ConfigType.STRING;
import static dev.gust.core.config.ConfigType.TIMEZONE;

import java.util.List;

/** Every setting Gust knows, with its default: the single list that {@code gust config list} prints. */
final class ConfigSchema {

    static final List<ConfigSetting> SETTINGS = List.of(
            plain(
                    "core",
                    "home",
                    STRING,
                    "~/.gust",
                    "Gust's own folder: the embedded database and generated keys live here"),
            plain("core", "dags_folder", STRING, "dags", "Folder scanned (recursively) for DAG YAML files"),
            plain(
                    "core",
                    "dag_dir_list_interval",
                    DURATION,
                    "5s",
                    "How often the DAG folder is re-scanned for changed files"),
            plain("core", "max_dag_file_size", BYTES, "1MB", "DAG files larger than this are import errors"),
            plain("core", "dags_are_paused_at_creation", BOOLEAN, "true", "New DAGs start paused"),
            plain("core", "catchup_by_default", BOOLEAN, "false", "catchup for DAGs that do not set it"),
            choice(
                    "core",
                    "executor",
                    "local",
                    List.of("local", "ecs"),
                    "local (tasks run as subprocesses of the scheduler) or ecs"),
            plain("core", "max_active_runs_per_dag", INTEGER, "16", "max_active_runs for DAGs that do not set it"),
            plain("core", "max_active_tasks_per_dag", INTEGER, "16", "max_active_tasks for DAGs that do not set it"),
            plain("core", "parallelism", INTEGER, "32", "Task instances running at once per scheduler"),
            plain(
                    "core",
                    "max_map_length",
                    INTEGER,
                    "1024",
                    "Most instances one mapped task (expand) may have; a longer input fails the task"),
            plain("core", "default_timezone", TIMEZONE, "UTC", "Time zone of DAGs that name none"),
            plain(
                    "core",
                    "task_environment_passthrough",
                    STRING,
                    "",
                    "Comma-separated names of environment variables of Gust's process that task commands also get (tasks otherwise start from PATH, HOME, locale and the like, never Gust's own settings)"),
            choice(
                    "core",
                    "test_connection",
                    "Disabled",
                    List.of("Disabled", "Enabled", "Hidden"),
                    "Whether gust connections test and POST /api/v1/connections/test may try connections (Airflow's test_connection: Disabled by default, since a test reaches out from the server to any host a user names)"),
            plain(
                    "database",
                    "url",
                    STRING,
                    "",
                    "PostgreSQL URL (jdbc:postgresql://host:5432/db or postgresql://user:pass@host/db); empty = embedded PostgreSQL"),
            plain("database", "username", STRING, "", "Database user, when not in the URL"),
            secret("database", "password", "Database password, when not in the URL"),
            plain("database", "pool_size", INTEGER, "10", "Connections in each process's pool"),
            plain("database", "connect_timeout", DURATION, "5s", "How long to wait for the database before giving up"),
            plain(
                    "database",
                    "embedded_data_dir",
                    STRING,
                    "${core.home}/postgres",
                    "Data directory of the embedded PostgreSQL"),
            plain("database", "embedded_port", INTEGER, "0", "Port of the embedded PostgreSQL (0 = any free port)"),
            secret(
                    "security",
                    "encryption_key",
                    "Key (base64, 32 bytes) encrypting connection secrets; generated under core.home when the database is embedded"),
            plain("webserver", "host", STRING, "0.0.0.0", "Address the web UI listens on"),
            plain("webserver", "port", INTEGER, "8080", "Port of the web UI and REST API"),
            plain(
                    "webserver",
                    "session_idle_timeout",
                    DURATION,
                    "12h",
                    "A web session unused for this long ends (sessions are stored in the database)"),
            plain(
                    "webserver",
                    "session_max_age",
                    DURATION,
                    "7d",
                    "A web session ends this long after login, however much it is used"),
            plain(
                    "webserver",
                    "login_failure_window",
                    DURATION,
                    "15m",
                    "Failed logins are counted within this window for the rate limit"),
            plain(
                    "webserver",
                    "login_max_failures_per_user",
                    INTEGER,
                    "5",
                    "Failed logins for one username from one client address within the window before that address's logins as that user are refused"),
            plain(
                    "webserver",
                    "login_max_failures_per_user_all_addresses",
                    INTEGER,
                    "100",
                    "Failed logins for one username from all addresses together within the window before its logins are refused from everywhere (a ceiling far above the per-address limit, so that nobody can lock a user out from one address)"),
            plain(
                    "webserver",
                    "login_max_failures_per_ip",
                    INTEGER,
                    "20",
                    "Failed logins from one client address within the window before its logins are refused"),
            plain(
                    "webserver",
                    "trusted_proxies",
                    STRING,
                    "",
                    "Comma-separated CIDRs of the proxies (e.g. the ALB's VPC) whose X-Forwarded-For and X-Forwarded-Proto are believed; empty = trust nobody and use the connection's address"),
            plain(
                    "webserver",
                    "expose_config",
                    BOOLEAN,
                    "false",
                    "Whether the REST API's /config answers (secrets always masked); false answers 403, as Airflow's [webserver] expose_config"),
            plain(
                    "scheduler",
                    "heartbeat_interval",
                    DURATION,
                    "5s",
                    "How often an ECS worker heartbeats its task instance; a scheduler heartbeats its job row and the task instances it runs this often, but at least every second"),
            plain("scheduler", "health_port", INTEGER, "8974", "Port of the scheduler's /health endpoint"),
            plain(
                    "scheduler",
                    "health_check_threshold",
                    DURATION,
                    "30s",
                    "A scheduler whose loop or heartbeat is older than this is unhealthy"),
            plain(
                    "scheduler",
                    "shutdown_grace_period",
                    DURATION,
                    "30s",
                    "On SIGTERM, how long running tasks may finish before they are stopped and put back for retry (keep it below the ECS stop timeout)"),
            plain(
                    "scheduler",
                    "zombie_threshold",
                    DURATION,
                    "30s",
                    "A running task without heartbeat for this long is a zombie: retried or failed"),
            plain(
                    "scheduler",
                    "task_queued_timeout",
                    DURATION,
                    "600s",
                    "A task instance queued for longer than this is put back to scheduled and queued again (Airflow's task_queued_timeout)"),
            plain(
                    "scheduler",
                    "cluster_checkin_interval",
                    DURATION,
                    "2s",
                    "How often each scheduler checks in with Quartz's clustered job store; the schedule triggers of a scheduler silent for this plus 2s move to a live one"),
            plain(
                    "ecs",
                    "cluster",
                    STRING,
                    "",
                    "ECS executor: the cluster worker tasks run in (gust-NAME when deployed with gust deploy)"),
            plain(
                    "ecs",
                    "task_definition",
                    STRING,
                    "",
                    "ECS executor: the worker task definition family or ARN (gust-NAME-worker)"),
            plain(
                    "ecs",
                    "container_name",
                    STRING,
                    "worker",
                    "ECS executor: the container whose command is overridden with 'tasks run ...'"),
            plain(
                    "ecs",
                    "subnets",
                    STRING,
                    "",
                    "ECS executor: comma-separated subnet ids of the worker tasks (awsvpc)"),
            plain(
                    "ecs",
                    "security_groups",
                    STRING,
                    "",
                    "ECS executor: comma-separated security group ids of the worker tasks"),
            plain(
                    "ecs",
                    "assign_public_ip",
                    BOOLEAN,
                    "false",
                    "ECS executor: give worker tasks a public IP (public subnets without NAT)"),
            plain(
                    "ecs",
                    "launch_retries",
                    INTEGER,
                    "3",
                    "ECS executor: RunTask attempts after the first that failed (capacity, throttling) before the try fails"),
            plain(
                    "ecs",
                    "launch_backoff",
                    DURATION,
                    "2s",
                    "ECS executor: wait before the first RunTask retry; doubles with each retry"),
            plain(
                    "ecs",
                    "max_tasks_per_describe",
                    INTEGER,
                    "100",
                    "ECS executor: task ARNs per DescribeTasks call (ECS allows 100)"),
            plain("ecs", "poll_interval", DURATION, "5s", "ECS executor: how often running ECS tasks are described"),
            plain(
                    "dag_bundle",
                    "s3_uri",
                    STRING,
                    "",
                    "s3://bucket/prefix of a DAG bundle uploaded by gust deploy dags: the scheduler replaces core.dags_folder with its newest complete version every core.dag_dir_list_interval; empty = the folder is used as it is"),
            choice(
                    "logging",
                    "level",
                    "INFO",
                    List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
                    "Log level of Gust's own logs"),
            choice("logging", "format", "text", List.of("text", "json"), "text for terminals, json for containers"),
            plain(
                    "logging",
                    "max_task_log_size",
                    BYTES,
                    "50MB",
                    "The most a task try's stored log may hold; what the task prints beyond it is discarded after a line saying so (0 = no limit)"),
            plain(
                    "metrics",
                    "statsd_on",
                    BOOLEAN,
                    "false",
                    "Send metrics to StatsD (as Airflow's [metrics] statsd_on)"),
            plain("metrics", "statsd_host", STRING, "localhost", "StatsD host"),
            plain("metrics", "statsd_port", INTEGER, "8125", "StatsD UDP port"),
            plain(
                    "metrics",
                    "statsd_prefix",
                    STRING,
                    "gust",
                    "Prefix of every StatsD metric name (set airflow to reuse dashboards built for Airflow)"),
            plain(
                    "metrics",
                    "statsd_datadog_enabled",
                    BOOLEAN,
                    "false",
                    "Send DogStatsD tags (dag_id, pool, state ...) instead of appending them to the metric name"),
            plain(
                    "metrics",
                    "emf_on",
                    BOOLEAN,
                    "false",
                    "Write CloudWatch Embedded Metric Format lines to the log (always on when running in ECS)"),
            plain(
                    "metrics",
                    "emf_namespace",
                    STRING,
                    "Gust/gust",
                    "CloudWatch namespace of the EMF metrics (gust deploy sets Gust/<deployment name>)"),
            plain("metrics", "interval", DURATION, "60s", "How often gauges go to StatsD and an EMF line is written"),
            plain(
                    "metrics",
                    "webserver_endpoint",
                    BOOLEAN,
                    "false",
                    "Serve /metrics (Prometheus) on the web server too, to signed-in users with the Op role; the scheduler's health port always serves it"),
            plain(
                    "python",
                    "interpreter",
                    STRING,
                    "python3",
                    "The Python interpreter Python tasks run in (a name on PATH or a path), one subprocess per try"),
            plain(
                    "python",
                    "path",
                    STRING,
                    "",
                    "Extra folders on Python tasks' sys.path, after the DAG folder (separated by commas or colons)"),
            plain(
                    "python",
                    "fork_server",
                    BOOLEAN,
                    "true",
                    "Start python.interpreter's tasks by forking a warm interpreter (one per scheduler or worker process) instead of a fresh process per try; false = a fresh interpreter every try"),
            plain(
                    "callbacks",
                    "timeout",
                    DURATION,
                    "60s",
                    "How long one callback (on_failure_callback ...) may run before it is stopped and recorded as failed"),
            plain(
                    "notifications",
                    "sns_topic_arn",
                    STRING,
                    "",
                    "The SNS topic an sns notifier callback publishes to when it names no target_arn (gust deploy sets it with notifications.sns_topic: true); empty: target_arn is required"),
            plain(
                    "callbacks",
                    "parallelism",
                    INTEGER,
                    "4",
                    "How many callbacks one scheduler runs at once, off its scheduling loop"),
            plain(
                    "api",
                    "maximum_page_limit",
                    INTEGER,
                    "100",
                    "The largest 'limit' a REST API list request may ask for (as Airflow's [api] maximum_page_limit)"));

    private ConfigSchema() {}

    private static ConfigSetting plain(
            String section, String key, ConfigType type, String defaultValue, String description) {
        return new ConfigSetting(section, key, type, defaultValue, false, List.of(), description);
    }

    private static ConfigSetting choice(
            String section, String key, String defaultValue, List<String> choices, String description) {
        return new ConfigSetting(section, key, STRING, defaultValue, false, choices, description);
    }

    private static ConfigSetting secret(String section, String key, String description) {
        return new ConfigSetting(section, key, STRING, "", true, List.of(), description);
    }
}
