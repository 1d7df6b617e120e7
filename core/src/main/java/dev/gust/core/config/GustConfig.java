package dev.gust.core.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gust's one configuration: every setting, its type, default and source, read from defaults,
 * then {@code gust.yaml}, then environment variables {@code GUST_<SECTION>__<KEY>} (later wins),
 * like Airflow's {@code AIRFLOW__CORE__...}. Nothing else in Gust reads the environment: the
 * rest of the code gets typed section records from here.
 */
public final class GustConfig {

    /** Environment variable naming the config file when {@code --config} is not given. */
    public static final String CONFIG_FILE_ENV = "GUST_CONFIG";

    private final Map<String, ConfigValue> values;
    private final Map<String, String> environment;

    GustConfig(Map<String, ConfigValue> values, Map<String, String> environment) {
        this.values = Collections.unmodifiableMap(values);
        this.environment = Map.copyOf(environment);
    }

    /**
     * Loads the configuration. The file is {@code explicitFile} when given, else the one named by
     * {@code GUST_CONFIG}, else {@code ./gust.yaml} when it exists, else none.
     *
     * @throws ConfigException naming the key, the value and where it came from
     */
    public static GustConfig load(Path explicitFile, Map<String, String> environment) {
        return new ConfigLoader(ConfigSchema.SETTINGS, environment).load(explicitFile);
    }

    /** Loads the configuration from the process's environment. */
    public static GustConfig fromProcessEnvironment(Path explicitFile) {
        return load(explicitFile, System.getenv());
    }

    /** Defaults only: for tests and tools that must not depend on the machine's environment. */
    public static GustConfig defaults() {
        return load(null, Map.of());
    }

    /** Every setting with its effective value, in schema order. */
    public List<ConfigValue> all() {
        return List.copyOf(values.values());
    }

    /** The value of {@code section.key}, if the key exists. */
    public Optional<ConfigValue> get(String qualifiedKey) {
        return Optional.ofNullable(values.get(qualifiedKey));
    }

    /**
     * The environment Gust was started with. It holds Gust's own secrets (the database URL, the
     * encryption key): task commands get {@link #taskEnvironment()} instead.
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The environment a task's command starts from: the basics of {@link TaskEnvironment} and
     * the variables {@code core.task_environment_passthrough} names, taken from Gust's own.
     */
    public Map<String, String> taskEnvironment() {
        return TaskEnvironment.of(environment, list("core.task_environment_passthrough"));
    }

    /**
     * The secret values of this configuration (every secret setting that is set, and passwords
     * written inside a URL setting), for the task log masker: a task that prints one shows
     * {@code ***}.
     */
    public List<String> secretValues() {
        return values.values().stream()
                .flatMap(v -> v.secrets().stream())
                .distinct()
                .toList();
    }

    public Core core() {
        return new Core(
                path("core.home"),
                path("core.dags_folder"),
                duration("core.dag_dir_list_interval"),
                bytes("core.max_dag_file_size"),
                bool("core.dags_are_paused_at_creation"),
                bool("core.catchup_by_default"),
                integer("core.max_active_runs_per_dag"),
                integer("core.max_active_tasks_per_dag"),
                string("core.executor"),
                integer("core.parallelism"),
                ZoneId.of(string("core.default_timezone")),
                integer("core.max_map_length"));
    }

    /** Whether connections may be tested ({@code core.test_connection} is {@code Enabled}, as in Airflow). */
    public boolean connectionTestsEnabled() {
        return string("core.test_connection").equals("Enabled");
    }

    public Database database() {
        return new Database(
                string("database.url"),
                string("database.username"),
                string("database.password"),
                integer("database.pool_size"),
                duration("database.connect_timeout"),
                resolveHome(string("database.embedded_data_dir")),
                integer("database.embedded_port"));
    }

    public Security security() {
        return new Security(string("security.encryption_key"));
    }

    public Webserver webserver() {
        return new Webserver(
                string("webserver.host"),
                integer("webserver.port"),
                duration("webserver.session_idle_timeout"),
                duration("webserver.session_max_age"),
                duration("webserver.login_failure_window"),
                integer("webserver.login_max_failures_per_user"),
                integer("webserver.login_max_failures_per_user_all_addresses"),
                integer("webserver.login_max_failures_per_ip"),
                list("webserver.trusted_proxies"),
                bool("webserver.expose_config"));
    }

    public Scheduler scheduler() {
        return new Scheduler(
                duration("scheduler.heartbeat_interval"),
                integer("scheduler.health_port"),
                duration("scheduler.health_check_threshold"),
                duration("scheduler.zombie_threshold"),
                duration("scheduler.shutdown_grace_period"),
                duration("scheduler.task_queued_timeout"),
                duration("scheduler.cluster_checkin_interval"));
    }

    /**
     * Fails with one line naming the first missing key the configured executor needs (the ECS
     * executor's cluster, task definition, subnets); before a daemon opens anything.
     */
    public GustConfig requireExecutorSettings() {
        if (core().executor().equals("ecs")) {
            ecs().requireComplete();
        }
        return this;
    }

    public Ecs ecs() {
        return new Ecs(
                string("ecs.cluster"),
                string("ecs.task_definition"),
                string("ecs.container_name"),
                list("ecs.subnets"),
                list("ecs.security_groups"),
                bool("ecs.assign_public_ip"),
                integer("ecs.launch_retries"),
                duration("ecs.launch_backoff"),
                integer("ecs.max_tasks_per_describe"),
                duration("ecs.poll_interval"));
    }

    /**
     * The ECS executor: where worker tasks run (cluster, task definition, the container whose
     * command is overridden, the awsvpc network), how launch failures are retried, and how often
     * and in what batches running tasks are described.
     */
    public record Ecs(
            String cluster,
            String taskDefinition,
            String containerName,
            List<String> subnets,
            List<String> securityGroups,
            boolean assignPublicIp,
            int launchRetries,
            Duration launchBackoff,
            int maxTasksPerDescribe,
            Duration pollInterval) {

        /** Fails with one line naming the first missing key the ECS executor needs. */
        public Ecs requireComplete() {
            require(!cluster.isBlank(), "ecs.cluster", "GUST_ECS__CLUSTER");
            require(!taskDefinition.isBlank(), "ecs.task_definition", "GUST_ECS__TASK_DEFINITION");
            require(!subnets.isEmpty(), "ecs.subnets", "GUST_ECS__SUBNETS");
            if (maxTasksPerDescribe < 1 || maxTasksPerDescribe > 100) {
                throw new ConfigException("ecs.max_tasks_per_describe must be between 1 and 100 (ECS's limit), not "
                        + maxTasksPerDescribe);
            }
            return this;
        }

        private static void require(boolean present, String key, String env) {
            if (!present) {
                throw new ConfigException(
                        "core.executor is ecs but " + key + " is not set; set it in gust.yaml or as " + env);
            }
        }
    }

    public DagBundle dagBundle() {
        return new DagBundle(string("dag_bundle.s3_uri"));
    }

    /**
     * Where the scheduler's DAG folder comes from: {@code s3Uri} names a bundle that {@code gust
     * deploy dags} uploaded; empty means the folder is used as it is (standalone, a mounted volume).
     */
    public record DagBundle(String s3Uri) {
        public boolean fromS3() {
            return !s3Uri.isBlank();
        }
    }

    /** The SNS topic sns notifiers publish to when a callback names none ({@code notifications.sns_topic_arn}); null when unset. */
    public String notificationTopicArn() {
        String arn = string("notifications.sns_topic_arn").strip();
        return arn.isEmpty() ? null : arn;
    }

    /** How a scheduler runs callbacks: each for at most {@code timeout}, {@code parallelism} at once. */
    public record Callbacks(Duration timeout, int parallelism) {}

    public Callbacks callbacks() {
        return new Callbacks(duration("callbacks.timeout"), Math.max(1, integer("callbacks.parallelism")));
    }

    public Python python() {
        List<Path> entries = Arrays.stream(string("python.path").split("[,:]"))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .map(this::resolveHome)
                .toList();
        return new Python(string("python.interpreter").strip(), entries);
    }

    /** Whether tasks of {@code python.interpreter} are forked from a warm interpreter ({@code python.fork_server}). */
    public boolean pythonForkServer() {
        return bool("python.fork_server");
    }

    /**
     * How Python tasks run: the interpreter (a command name looked up on the task's PATH, or a
     * path) and the folders put on its {@code sys.path} after the DAG folder.
     */
    public record Python(String interpreter, List<Path> path) {
        public Python {
            path = List.copyOf(path);
        }

        /**
         * The interpreter's executable: the configured path, or the command name looked up on
         * {@code PATH} of {@code environment} (the environment tasks get); empty when there is none.
         */
        public Optional<Path> locate(Map<String, String> environment) {
            if (interpreter.isEmpty()) {
                return Optional.empty();
            }
            if (interpreter.contains("/")) {
                Path file = Path.of(interpreter);
                return Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
            }
            String searchPath = environment.getOrDefault("PATH", "");
            return Arrays.stream(searchPath.split(File.pathSeparator))
                    .filter(dir -> !dir.isBlank())
                    .map(dir -> Path.of(dir).resolve(interpreter))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }

    public Metrics metrics() {
        return new Metrics(
                bool("metrics.statsd_on"),
                string("metrics.statsd_host"),
                integer("metrics.statsd_port"),
                string("metrics.statsd_prefix"),
                bool("metrics.statsd_datadog_enabled"),
                bool("metrics.emf_on") || environment.containsKey("ECS_CONTAINER_METADATA_URI_V4"),
                string("metrics.emf_namespace"),
                duration("metrics.interval"),
                bool("metrics.webserver_endpoint"));
    }

    /**
     * Where metrics go (Airflow's {@code [metrics]} keys): StatsD when {@code statsdOn}, with tags
     * when {@code datadogTags}; CloudWatch EMF lines in the log when {@code emfOn} (set, or running
     * in ECS, which the task metadata variable ECS sets tells); Prometheus always (scraped).
     */
    public record Metrics(
            boolean statsdOn,
            String statsdHost,
            int statsdPort,
            String statsdPrefix,
            boolean datadogTags,
            boolean emfOn,
            String emfNamespace,
            Duration interval,
            boolean webserverEndpoint) {}

    public Logging logging() {
        return new Logging(string("logging.level"), string("logging.format"), bytes("logging.max_task_log_size"));
    }

    /** Where DAG files live, how often they are re-scanned, and what the scheduler does by default. */
    public record Core(
            Path home,
            Path dagsFolder,
            Duration dagDirListInterval,
            long maxDagFileSizeBytes,
            boolean dagsArePausedAtCreation,
            boolean catchupByDefault,
            int maxActiveRunsPerDag,
            int maxActiveTasksPerDag,
            String executor,
            int parallelism,
            ZoneId defaultTimezone,
            int maxMapLength) {}

    /**
     * The metadata database. An empty {@code url} means an embedded PostgreSQL whose data lives in
     * {@code embeddedDataDir}.
     */
    public record Database(
            String url,
            String username,
            String password,
            int poolSize,
            Duration connectTimeout,
            Path embeddedDataDir,
            int embeddedPort) {
        public boolean embedded() {
            return url.isBlank();
        }
    }

    /** The key that encrypts connection secrets at rest (base64 of 32 bytes). */
    public record Security(String encryptionKey) {}

    /**
     * Where the web server listens, how long its sessions last (idle and absolute), how many
     * failed logins a window allows (per username and client address, per username from anywhere,
     * per client address), which proxies' forwarding headers are believed (CIDRs), and whether the
     * REST API shows the configuration.
     */
    public record Webserver(
            String host,
            int port,
            Duration sessionIdleTimeout,
            Duration sessionMaxAge,
            Duration loginFailureWindow,
            int loginMaxFailuresPerUser,
            int loginMaxFailuresPerUserAllAddresses,
            int loginMaxFailuresPerIp,
            List<String> trustedProxies,
            boolean exposeConfig) {}

    public record Scheduler(
            Duration heartbeatInterval,
            int healthPort,
            Duration healthCheckThreshold,
            Duration zombieThreshold,
            Duration shutdownGracePeriod,
            Duration taskQueuedTimeout,
            Duration clusterCheckinInterval) {}

    public Api api() {
        return new Api(integer("api.maximum_page_limit"));
    }

    /** The REST API: how many items one list request may return at most. */
    public record Api(int maximumPageLimit) {}

    /**
     * {@code format} is {@code text} for a terminal or {@code json} for containers;
     * {@code maxTaskLogSizeBytes} caps the stored log of one task try (0 = no cap).
     */
    public record Logging(String level, String format, long maxTaskLogSizeBytes) {}

    private Object typed(String key) {
        ConfigValue value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no such config key: " + key);
        }
        return value.value();
    }

    private String string(String key) {
        return (String) typed(key);
    }

    private List<String> list(String key) {
        return Arrays.stream(string(key).split(","))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    private int integer(String key) {
        return (Integer) typed(key);
    }

    private boolean bool(String key) {
        return (Boolean) typed(key);
    }

    private Duration duration(String key) {
        return (Duration) typed(key);
    }

    private long bytes(String key) {
        return (Long) typed(key);
    }

    private Path path(String key) {
        return resolveHome((String) typed(key));
    }

    private Path resolveHome(String raw) {
        if (raw.equals("~") || raw.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(raw.substring(Math.min(2, raw.length())));
        }
        if (raw.startsWith("$GUST_HOME/") || raw.startsWith("${core.home}/")) {
            return path("core.home").resolve(raw.substring(raw.indexOf('/') + 1));
        }
        return Path.of(raw);
    }

    static Map<String, ConfigValue> orderedMap() {
        return new LinkedHashMap<>();
    }
}
