package dev.gust.deploy.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gust.deploy.DeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contents of {@code deploy.yaml}: every setting of a deployment, each with a default, so an
 * empty (or absent) file deploys a working Gust into the default VPC. Keys are snake_case; an
 * unknown key is an error, so a typo never silently falls back to a default.
 */
public record DeployConfig(
        Network network,
        Database database,
        Component webserver,
        Component scheduler,
        Component worker,
        int logRetentionDays,
        HealthCheck healthCheck,
        int stopTimeoutSeconds,
        int healthCheckGracePeriodSeconds,
        String certificateArn,
        Map<String, String> environment,
        String executor,
        String runtimePlatform,
        Iam iam,
        Ecr ecr,
        String sslPolicy,
        int deregistrationDelaySeconds,
        PythonRequirements pythonRequirements,
        Notifications notifications,
        Alerts alerts) {

    /**
     * {@code notifications.sns_topic: true}: the deployment has an SNS topic of its own that DAGs'
     * sns notifiers publish to when they name no {@code target_arn}; {@code down} deletes it.
     */
    public record Notifications(boolean snsTopic) {}

    /**
     * Who is told when an alarm fires: {@code email} addresses subscribed to the deployment's SNS
     * topic (none: the alarms and the dashboard are made, and notify no one);
     * {@code databaseConnections}: the connection count that alarms on the RDS instance.
     */
    public record Alerts(List<String> email, int databaseConnections) {
        public Alerts {
            email = email == null
                    ? List.of()
                    : email.stream().map(String::strip).toList();
            for (String address : email) {
                if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                    throw new DeployException("deploy.yaml: alerts.email '" + address + "' is not an e-mail address");
                }
            }
            databaseConnections = databaseConnections == 0 ? 80 : databaseConnections;
        }
    }

    /** {@code local}: the scheduler runs tasks itself; {@code ecs}: each try is a worker task of its own. */
    public static final java.util.List<String> EXECUTORS = java.util.List.of("local", "ecs");

    /**
     * Where the tasks, the ALB and the database live: the default VPC unless a VPC or subnets are
     * given, or a VPC of the deployment's own ({@code create_vpc}, in {@code cidr}). With
     * {@code restrictEgress} the tasks may only open HTTPS and PostgreSQL connections.
     */
    public record Network(
            String vpcId,
            List<String> subnetIds,
            Boolean assignPublicIp,
            boolean createVpc,
            String cidr,
            boolean restrictEgress) {
        public Network {
            subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
            // The default VPC's subnets are public and have no NAT: tasks need a public address to
            // pull the image; they stay reachable only from the ALB through their security group.
            // A VPC of our own puts them in private subnets behind a NAT gateway instead.
            assignPublicIp = assignPublicIp == null ? Boolean.valueOf(!createVpc) : assignPublicIp;
            cidr = cidr == null || cidr.isBlank() ? "10.0.0.0/16" : cidr;
        }

        public Network(String vpcId, List<String> subnetIds, Boolean assignPublicIp) {
            this(vpcId, subnetIds, assignPublicIp, false, null, false);
        }

        public Network(String vpcId, List<String> subnetIds, Boolean assignPublicIp, boolean createVpc, String cidr) {
            this(vpcId, subnetIds, assignPublicIp, createVpc, cidr, false);
        }
    }

    /** An RDS PostgreSQL instance made for the deployment, or an existing database given by URL. */
    public record Database(
            String url, String instanceClass, int allocatedStorageGb, String engineVersion, boolean multiAz) {
        public Database {
            instanceClass = instanceClass == null ? "db.t4g.micro" : instanceClass;
            allocatedStorageGb = allocatedStorageGb == 0 ? 20 : allocatedStorageGb;
            engineVersion = engineVersion == null ? "16" : engineVersion;
        }

        public boolean external() {
            return url != null && !url.isBlank();
        }

        /** The port the tasks connect to the database on: the given URL's, else PostgreSQL's. */
        public int port() {
            if (!external()) {
                return 5432;
            }
            try {
                int port = java.net.URI.create(url.trim()).getPort();
                return port == -1 ? 5432 : port;
            } catch (IllegalArgumentException e) {
                return 5432;
            }
        }
    }

    /** CPU units, memory (MiB) and the number of tasks of one component; {@code autoscaling} is optional. */
    public record Component(int cpu, int memory, int desiredCount, Autoscaling autoscaling) {
        public Component(int cpu, int memory, int desiredCount) {
            this(cpu, memory, desiredCount, null);
        }
    }

    /**
     * Target tracking of a service's task count between {@code min} and {@code max}: on the ALB's
     * requests per target (webserver only) and on the service's average CPU. Without either
     * target, CPU at {@link #DEFAULT_CPU_PERCENT} percent.
     */
    public record Autoscaling(int min, int max, Integer requestsPerTarget, Integer cpuPercent) {
        public static final int DEFAULT_CPU_PERCENT = 60;
    }

    /** Where {@code ecs:RunTask} and {@code iam:PassRole} of ecs_run_task tasks go, and what else tasks may call. */
    public record Iam(
            List<String> taskRolePolicyArns,
            List<Map<String, Object>> taskRoleStatements,
            List<String> ecsRunTaskDefinitions,
            List<String> ecsRunTaskRoles) {
        public Iam {
            taskRolePolicyArns = taskRolePolicyArns == null ? List.of() : List.copyOf(taskRolePolicyArns);
            taskRoleStatements = taskRoleStatements == null ? List.of() : List.copyOf(taskRoleStatements);
            ecsRunTaskDefinitions = ecsRunTaskDefinitions == null ? List.of() : List.copyOf(ecsRunTaskDefinitions);
            ecsRunTaskRoles = ecsRunTaskRoles == null ? List.of() : List.copyOf(ecsRunTaskRoles);
        }
    }

    /** The ECR repository: how many images its lifecycle policy keeps (the newest ones). */
    public record Ecr(int keepImages) {
        public Ecr {
            keepImages = keepImages == 0 ? 20 : keepImages;
            if (keepImages < 1) {
                throw new DeployException("deploy.yaml: ecr.keep_images must be at least 1 (got " + keepImages + ")");
            }
        }
    }

    /** The CPU architectures Fargate runs: {@code x86_64} (the default) and {@code arm64} (Graviton). */
    public static final List<String> RUNTIME_PLATFORMS = List.of("x86_64", "arm64");

    /** Refuses TLS 1.0 and 1.1; TLS 1.3 and 1.2 with forward-secret ciphers only. */
    public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    /** The container health check and the target group's probe share these timings. */
    public record HealthCheck(int intervalSeconds, int timeoutSeconds, int retries, int startPeriodSeconds) {
        public HealthCheck {
            intervalSeconds = intervalSeconds == 0 ? 30 : intervalSeconds;
            timeoutSeconds = timeoutSeconds == 0 ? 5 : timeoutSeconds;
            retries = retries == 0 ? 3 : retries;
            startPeriodSeconds = startPeriodSeconds == 0 ? 60 : startPeriodSeconds;
        }
    }

    public DeployConfig {
        network = network == null ? new Network(null, null, null) : network;
        database = database == null ? new Database(null, null, 0, null, false) : database;
        webserver = component(webserver, 2);
        // Two schedulers: one's death never stops the schedules for ECS's restart time (they share
        // the work through the database: clustered Quartz, SKIP LOCKED claims).
        scheduler = component(scheduler, 2);
        worker = component(worker, 0);
        logRetentionDays = logRetentionDays == 0 ? 30 : logRetentionDays;
        notifications = notifications == null ? new Notifications(false) : notifications;
        healthCheck = healthCheck == null ? new HealthCheck(0, 0, 0, 0) : healthCheck;
        stopTimeoutSeconds = stopTimeoutSeconds == 0 ? 120 : stopTimeoutSeconds;
        healthCheckGracePeriodSeconds = healthCheckGracePeriodSeconds == 0 ? 60 : healthCheckGracePeriodSeconds;
        certificateArn = certificateArn == null || certificateArn.isBlank() ? null : certificateArn;
        environment = environment == null ? Map.of() : new TreeMap<>(environment);
        executor = executor == null || executor.isBlank() ? "local" : executor.trim();
        if (!EXECUTORS.contains(executor)) {
            throw new DeployException("deploy.yaml: executor '" + executor + "' is not one of local, ecs");
        }
        runtimePlatform = runtimePlatform == null || runtimePlatform.isBlank()
                ? "x86_64"
                : runtimePlatform.trim().toLowerCase(java.util.Locale.ROOT);
        if (runtimePlatform.equals("amd64")) {
            runtimePlatform = "x86_64";
        }
        if (!RUNTIME_PLATFORMS.contains(runtimePlatform)) {
            throw new DeployException(
                    "deploy.yaml: runtime_platform '" + runtimePlatform + "' is not one of x86_64, arm64");
        }
        iam = iam == null ? new Iam(null, null, null, null) : iam;
        TaskRoleGrants.validate(iam);
        ecr = ecr == null ? new Ecr(0) : ecr;
        sslPolicy = sslPolicy == null || sslPolicy.isBlank() ? DEFAULT_SSL_POLICY : sslPolicy.trim();
        deregistrationDelaySeconds = deregistrationDelaySeconds == 0 ? 30 : deregistrationDelaySeconds;
        alerts = alerts == null ? new Alerts(null, 0) : alerts;
        if (deregistrationDelaySeconds < 0 || deregistrationDelaySeconds > 3600) {
            throw new DeployException(
                    "deploy.yaml: deregistration_delay_seconds is 0 to 3600 (got " + deregistrationDelaySeconds + ")");
        }
        pythonRequirements = pythonRequirements == null ? PythonRequirements.none() : pythonRequirements;
        validate(webserver, scheduler, worker, stopTimeoutSeconds, network, environment);
        validateAutoscaling(webserver, scheduler, worker);
    }

    /** The Docker platform the image is built for: the one the task definitions run on. */
    public String imagePlatform() {
        return runtimePlatform.equals("arm64") ? "linux/arm64" : "linux/amd64";
    }

    /** ECS's {@code runtimePlatform.cpuArchitecture}: X86_64 or ARM64. */
    public String cpuArchitecture() {
        return runtimePlatform.toUpperCase(java.util.Locale.ROOT);
    }

    private static void validateAutoscaling(Component webserver, Component scheduler, Component worker) {
        if (worker.autoscaling() != null) {
            throw new DeployException("deploy.yaml: worker.autoscaling: worker tasks are one-off tasks, not a service;"
                    + " scale webserver or scheduler");
        }
        if (scheduler.autoscaling() != null && scheduler.autoscaling().requestsPerTarget() != null) {
            throw new DeployException("deploy.yaml: scheduler.autoscaling.requests_per_target: the scheduler gets no"
                    + " requests; scale it on cpu_percent");
        }
        for (var entry : List.of(Map.entry("webserver", webserver), Map.entry("scheduler", scheduler))) {
            Autoscaling scaling = entry.getValue().autoscaling();
            if (scaling == null) {
                continue;
            }
            String key = "deploy.yaml: " + entry.getKey() + ".autoscaling";
            if (scaling.min() < 1 || scaling.max() < scaling.min()) {
                throw new DeployException(
                        key + ": needs 1 <= min <= max (got min " + scaling.min() + ", max " + scaling.max() + ")");
            }
            if (scaling.cpuPercent() != null && (scaling.cpuPercent() < 1 || scaling.cpuPercent() > 100)) {
                throw new DeployException(key + ".cpu_percent is 1 to 100 (got " + scaling.cpuPercent() + ")");
            }
            if (scaling.requestsPerTarget() != null && scaling.requestsPerTarget() < 1) {
                throw new DeployException(
                        key + ".requests_per_target must be at least 1 (got " + scaling.requestsPerTarget() + ")");
            }
        }
    }

    private static Component component(Component given, int defaultCount) {
        if (given == null) {
            return new Component(512, 1024, defaultCount);
        }
        int desired = given.desiredCount() == 0 ? defaultCount : given.desiredCount();
        Autoscaling scaling = given.autoscaling();
        if (scaling != null) {
            // min defaults to the desired count; no target at all means CPU tracking
            int min = scaling.min() == 0 ? desired : scaling.min();
            Integer cpu = scaling.cpuPercent() == null && scaling.requestsPerTarget() == null
                    ? Integer.valueOf(Autoscaling.DEFAULT_CPU_PERCENT)
                    : scaling.cpuPercent();
            scaling = new Autoscaling(min, scaling.max(), scaling.requestsPerTarget(), cpu);
        }
        return new Component(
                given.cpu() == 0 ? 512 : given.cpu(), given.memory() == 0 ? 1024 : given.memory(), desired, scaling);
    }

    private static void validate(
            Component webserver,
            Component scheduler,
            Component worker,
            int stopTimeoutSeconds,
            Network network,
            Map<String, String> environment) {
        for (var entry : Map.of("webserver", webserver, "scheduler", scheduler, "worker", worker)
                .entrySet()) {
            if (!fargateSize(entry.getValue().cpu(), entry.getValue().memory())) {
                throw new DeployException("deploy.yaml: " + entry.getKey() + " cpu "
                        + entry.getValue().cpu() + " with memory "
                        + entry.getValue().memory() + " MiB is not a Fargate size (e.g. 256/512-2048, 512/1024-4096, "
                        + "1024/2048-8192, 2048/4096-16384, 4096/8192-30720; memory in steps of 1024 above 512)");
            }
        }
        if (webserver.desiredCount() < 1 || scheduler.desiredCount() < 1) {
            throw new DeployException(
                    "deploy.yaml: webserver.desired_count and scheduler.desired_count must be at least 1");
        }
        if (stopTimeoutSeconds > 120) {
            throw new DeployException(
                    "deploy.yaml: stop_timeout_seconds is at most 120 on Fargate (got " + stopTimeoutSeconds + ")");
        }
        if (network.createVpc()) {
            if (network.vpcId() != null || !network.subnetIds().isEmpty()) {
                throw new DeployException(
                        "deploy.yaml: network.create_vpc makes a VPC: give neither network.vpc_id nor network.subnet_ids");
            }
            if (network.assignPublicIp()) {
                throw new DeployException(
                        "deploy.yaml: with network.create_vpc the tasks are in private subnets and get no public IP");
            }
            Cidr.subnet(network.cidr(), 0); // refuses a malformed or unsuitable block now, before anything is made
        }
        if (!network.subnetIds().isEmpty() && network.subnetIds().size() < 2) {
            throw new DeployException(
                    "deploy.yaml: network.subnet_ids needs subnets in two availability zones at least");
        }
        for (String key : environment.keySet()) {
            if (key.startsWith("GUST_DATABASE__") || key.equals("GUST_SECURITY__ENCRYPTION_KEY")) {
                throw new DeployException(
                        "deploy.yaml: environment." + key + " is set by gust deploy from Secrets Manager");
            }
            if (key.equals("GUST_CORE__EXECUTOR") || key.startsWith("GUST_ECS__")) {
                throw new DeployException("deploy.yaml: environment." + key
                        + " is set by gust deploy; choose the executor with 'executor: local|ecs'");
            }
        }
    }

    /** The CPU and memory pairs Fargate accepts (up to 4 vCPU; larger sizes are taken as given). */
    static boolean fargateSize(int cpu, int memory) {
        return switch (cpu) {
            case 256 -> memory == 512 || memory == 1024 || memory == 2048;
            case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
            case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
            case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
            case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
            default -> cpu > 4096;
        };
    }

    /** All defaults: the default VPC, a new RDS instance, two webservers and two schedulers. */
    public static DeployConfig defaults() {
        return new DeployConfig(
                null, null, null, null, null, 0, null, 0, 0, null, null, null, null, null, null, null, 0, null, null,
                null);
    }

    /** This config with {@code python_requirements}' file (if it names one) read from {@code folder}. */
    private DeployConfig withPythonRequirementsReadFrom(Path folder) {
        return new DeployConfig(
                network,
                database,
                webserver,
                scheduler,
                worker,
                logRetentionDays,
                healthCheck,
                stopTimeoutSeconds,
                healthCheckGracePeriodSeconds,
                certificateArn,
                environment,
                executor,
                runtimePlatform,
                iam,
                ecr,
                sslPolicy,
                deregistrationDelaySeconds,
                pythonRequirements.readFrom(folder),
                notifications,
                alerts);
    }

    /** Reads deploy.yaml; an absent file means all defaults only when {@code required} is false. */
    public static DeployConfig load(Path file, boolean required) {
        if (file == null || !Files.exists(file)) {
            if (required) {
                throw new DeployException("deploy config " + file + " does not exist");
            }
            return defaults();
        }
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                return defaults();
            }
            return mapper.readValue(text, DeployConfig.class)
                    .withPythonRequirementsReadFrom(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            String message = e.getMessage() == null
                    ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("");
            // a value's own check (a record constructor's) may sit under Jackson's wrappers
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof DeployException deploy) {
                    throw deploy;
                }
            }
            throw new DeployException(file + ": " + message, e);
        }
    }
}
