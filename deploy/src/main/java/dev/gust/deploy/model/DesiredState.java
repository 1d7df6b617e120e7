package dev.gust.deploy.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.deploy.model.ResourceSpec.Ingress;
import dev.gust.deploy.model.ResourceSpec.SecretSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes, without calling AWS, the resources a deployment consists of, in creation order: the
 * pure model that {@code plan} diffs against what exists and {@code up} applies.
 *
 * <p>Database migrations: the webserver container runs {@code gust db migrate} (Flyway holds a
 * PostgreSQL advisory lock, so two webservers starting at once migrate once) and creates the
 * {@code admin} user from the initial admin password secret when it does not exist, then
 * {@code exec}s the webserver, so a new image's migrations run as part of its rolling deployment
 * and no separate one-off task has to be awaited. A scheduler that starts before the schema
 * exists fails its health check and ECS restarts it.
 */
public final class DesiredState {

    public static final String WEBSERVER = "webserver";
    public static final String SCHEDULER = "scheduler";
    public static final String WORKER = "worker";
    public static final int WEBSERVER_PORT = 8080;
    public static final int SCHEDULER_HEALTH_PORT = 8974;
    /** The setting ({@code notifications.sns_topic_arn}) that names the deployment's notification topic. */
    public static final String NOTIFICATION_TOPIC_ENV = "GUST_NOTIFICATIONS__SNS_TOPIC_ARN";

    static final String GUST = "/opt/gust/bin/gust";

    private DesiredState() {}

    /** The resources of deployment {@code names} for {@code config} in {@code network}, running {@code image}. */
    public static List<Resource> compute(
            Names names, DeployConfig config, Network network, Account account, String image) {
        List<Resource> resources = new ArrayList<>();
        if (network.owned()) {
            resources.addAll(ownNetwork(names, config.network().cidr(), network));
        }
        resources.add(repository(names, config));
        resources.add(new Resource(
                ResourceKind.DAG_BUCKET, names.dagBucket(account), new ResourceSpec.Bucket(true, "AES256")));

        resources.add(new Resource(
                ResourceKind.SECURITY_GROUP,
                names.albGroup(),
                new ResourceSpec.SecurityGroup(
                        network.vpcId(),
                        "Gust " + names.deployment() + ": load balancer, from the internet",
                        List.of(new Ingress(80, "0.0.0.0/0", null), new Ingress(443, "0.0.0.0/0", null)))));
        resources.add(new Resource(
                ResourceKind.SECURITY_GROUP,
                names.tasksGroup(),
                new ResourceSpec.SecurityGroup(
                        network.vpcId(),
                        "Gust " + names.deployment() + ": ECS tasks, only from the load balancer",
                        List.of(new Ingress(WEBSERVER_PORT, null, names.albGroup())),
                        tasksEgress(config))));

        if (config.notifications().snsTopic()) {
            resources.add(new Resource(
                    ResourceKind.NOTIFICATION_TOPIC, names.notificationTopic(), new ResourceSpec.NotificationTopic()));
        }

        Map<String, String> secrets = new TreeMap<>();
        boolean rds = !config.database().external();
        if (rds) {
            resources.add(new Resource(
                    ResourceKind.SECURITY_GROUP,
                    names.databaseGroup(),
                    new ResourceSpec.SecurityGroup(
                            network.vpcId(),
                            "Gust " + names.deployment() + ": database, only from the ECS tasks",
                            List.of(new Ingress(5432, null, names.tasksGroup())))));
            resources.add(new Resource(
                    ResourceKind.DB_SUBNET_GROUP,
                    names.dbSubnetGroup(),
                    new ResourceSpec.DbSubnetGroup(network.subnetIds())));
            resources.add(new Resource(
                    ResourceKind.SECRET,
                    names.secret("database-password"),
                    new ResourceSpec.Secret(SecretSource.GENERATED_PASSWORD, null, null, null)));
        }
        resources.add(new Resource(
                ResourceKind.SECRET,
                names.secret("encryption-key"),
                new ResourceSpec.Secret(SecretSource.GENERATED_KEY, null, null, null)));
        resources.add(new Resource(
                ResourceKind.SECRET,
                names.secret("admin-password"),
                new ResourceSpec.Secret(SecretSource.GENERATED_PASSWORD, null, null, null)));
        if (rds) {
            DeployConfig.Database db = config.database();
            resources.add(new Resource(
                    ResourceKind.DB_INSTANCE,
                    names.dbInstance(),
                    new ResourceSpec.DbInstance(
                            db.instanceClass(),
                            db.allocatedStorageGb(),
                            db.engineVersion(),
                            db.multiAz(),
                            "gust",
                            "gust",
                            names.secret("database-password"),
                            names.databaseGroup(),
                            names.dbSubnetGroup(),
                            true)));
            resources.add(new Resource(
                    ResourceKind.DATABASE_URL_SECRET,
                    names.secret("database-url"),
                    new ResourceSpec.Secret(
                            SecretSource.DATABASE_URL_FROM_INSTANCE,
                            null,
                            names.dbInstance(),
                            names.secret("database-password"))));
        } else {
            resources.add(new Resource(
                    ResourceKind.DATABASE_URL_SECRET,
                    names.secret("database-url"),
                    new ResourceSpec.Secret(
                            SecretSource.GIVEN, sha256(config.database().url()), null, null)));
        }
        secrets.put("GUST_DATABASE__URL", names.secret("database-url"));
        secrets.put("GUST_SECURITY__ENCRYPTION_KEY", names.secret("encryption-key"));

        List<String> secretNames = resources.stream()
                .filter(r -> r.kind() == ResourceKind.SECRET || r.kind() == ResourceKind.DATABASE_URL_SECRET)
                .map(Resource::name)
                .toList();
        resources.add(new Resource(
                ResourceKind.ROLE,
                names.executionRole(),
                new ResourceSpec.Role(
                        "ecs-tasks.amazonaws.com", "gust-execution", executionPolicy(names, account, secretNames))));
        resources.add(new Resource(
                ResourceKind.ROLE,
                names.taskRole(),
                new ResourceSpec.Role(
                        "ecs-tasks.amazonaws.com",
                        "gust-task",
                        taskPolicy(
                                names,
                                account,
                                config.iam(),
                                config.notifications().snsTopic()),
                        config.iam().taskRolePolicyArns())));

        for (String component : List.of(WEBSERVER, SCHEDULER, WORKER)) {
            resources.add(new Resource(
                    ResourceKind.LOG_GROUP,
                    names.logGroup(component),
                    new ResourceSpec.LogGroup(config.logRetentionDays())));
        }
        resources.add(new Resource(ResourceKind.CLUSTER, names.cluster(), new ResourceSpec.Cluster(true)));

        DeployConfig.HealthCheck hc = config.healthCheck();
        Map<String, String> environment = new TreeMap<>(config.environment());
        environment.put("GUST_CORE__EXECUTOR", "local"); // the webserver and worker never launch tasks
        if (config.notifications().snsTopic()) {
            // where sns notifiers publish when a callback names no target_arn
            environment.put(NOTIFICATION_TOPIC_ENV, account.arn("sns", names.notificationTopic()));
        }
        // ECS turns the EMF metrics on; they land where the alarms look for them
        environment.putIfAbsent("GUST_METRICS__EMF_NAMESPACE", names.metricsNamespace());
        Map<String, String> webSecrets = new TreeMap<>(secrets);
        webSecrets.put("GUST_ADMIN_PASSWORD", names.secret("admin-password"));
        // The ALB reaches the webservers from inside the VPC: its forwarding headers, and only those, are believed.
        Map<String, String> webEnvironment = new TreeMap<>(environment);
        webEnvironment.putIfAbsent("GUST_WEBSERVER__TRUSTED_PROXIES", VPC_CIDR_OF + network.vpcId());
        Resource webTask = taskDefinition(
                names,
                WEBSERVER,
                config.webserver(),
                image,
                List.of("/bin/sh", "-c"),
                List.of(webserverStartup()),
                List.of(WEBSERVER_PORT),
                webEnvironment,
                webSecrets,
                new ResourceSpec.HealthCheck(
                        List.of("CMD-SHELL", "curl -fsS http://localhost:" + WEBSERVER_PORT + "/health || exit 1"),
                        hc.intervalSeconds(),
                        hc.timeoutSeconds(),
                        hc.retries(),
                        hc.startPeriodSeconds()),
                config.stopTimeoutSeconds(),
                config.cpuArchitecture());
        Resource schedulerTask = taskDefinition(
                names,
                SCHEDULER,
                config.scheduler(),
                image,
                null,
                List.of(SCHEDULER),
                List.of(),
                schedulerEnvironment(names, config, network, account, environment),
                secrets,
                new ResourceSpec.HealthCheck(
                        List.of(
                                "CMD-SHELL",
                                "curl -fsS http://localhost:" + SCHEDULER_HEALTH_PORT + "/health || exit 1"),
                        hc.intervalSeconds(),
                        hc.timeoutSeconds(),
                        hc.retries(),
                        hc.startPeriodSeconds()),
                config.stopTimeoutSeconds(),
                config.cpuArchitecture());
        // The worker runs one task instance (`gust tasks run ...`, the command given at RunTask):
        // no health check, nothing listens.
        Resource workerTask = taskDefinition(
                names,
                WORKER,
                config.worker(),
                image,
                null,
                List.of("tasks", "run", "--help"),
                List.of(),
                environment,
                secrets,
                null,
                config.stopTimeoutSeconds(),
                config.cpuArchitecture());
        resources.add(webTask);
        resources.add(schedulerTask);
        resources.add(workerTask);

        resources.add(new Resource(
                ResourceKind.LOAD_BALANCER,
                names.loadBalancer(),
                new ResourceSpec.LoadBalancer(network.publicSubnetIds(), names.albGroup())));
        resources.add(new Resource(
                ResourceKind.TARGET_GROUP,
                names.targetGroup(),
                new ResourceSpec.TargetGroup(
                        network.vpcId(),
                        WEBSERVER_PORT,
                        "/health",
                        hc.intervalSeconds(),
                        hc.timeoutSeconds(),
                        hc.retries(),
                        config.deregistrationDelaySeconds())));
        if (config.certificateArn() != null) {
            resources.add(new Resource(
                    ResourceKind.LISTENER,
                    names.listener("https"),
                    new ResourceSpec.Listener(
                            names.loadBalancer(),
                            443,
                            "HTTPS",
                            config.certificateArn(),
                            names.targetGroup(),
                            false,
                            config.sslPolicy())));
            resources.add(new Resource(
                    ResourceKind.LISTENER,
                    names.listener("http"),
                    new ResourceSpec.Listener(names.loadBalancer(), 80, "HTTP", null, null, true, null)));
        } else {
            resources.add(new Resource(
                    ResourceKind.LISTENER,
                    names.listener("http"),
                    new ResourceSpec.Listener(
                            names.loadBalancer(), 80, "HTTP", null, names.targetGroup(), false, null)));
        }

        boolean publicIp = config.network().assignPublicIp();
        resources.add(new Resource(
                ResourceKind.SERVICE,
                WEBSERVER,
                new ResourceSpec.Service(
                        names.cluster(),
                        webTask.name(),
                        webTask.fingerprint(),
                        config.webserver().desiredCount(),
                        network.subnetIds(),
                        names.tasksGroup(),
                        publicIp,
                        names.targetGroup(),
                        WEBSERVER,
                        WEBSERVER_PORT,
                        config.healthCheckGracePeriodSeconds(),
                        config.webserver().autoscaling() != null)));
        resources.add(new Resource(
                ResourceKind.SERVICE,
                SCHEDULER,
                new ResourceSpec.Service(
                        names.cluster(),
                        schedulerTask.name(),
                        schedulerTask.fingerprint(),
                        config.scheduler().desiredCount(),
                        network.subnetIds(),
                        names.tasksGroup(),
                        publicIp,
                        null,
                        SCHEDULER,
                        0,
                        config.healthCheckGracePeriodSeconds(),
                        config.scheduler().autoscaling() != null)));
        scalableTarget(names, WEBSERVER, config.webserver()).ifPresent(resources::add);
        scalableTarget(names, SCHEDULER, config.scheduler()).ifPresent(resources::add);
        resources.addAll(Alarms.of(names, config, config.environment()));
        return List.copyOf(resources);
    }

    /**
     * What the tasks may connect to. By default anything: with the local executor the scheduler's
     * container runs the users' tasks (and with the ECS executor the workers do), which call
     * whatever APIs, mail servers and databases their DAGs name. With {@code network.restrict_egress}
     * only HTTPS (ECR, Secrets Manager, CloudWatch Logs, S3 and the other AWS APIs, through the NAT
     * gateway or public IPs) and the database's port, to any address: the database's own group
     * would make the two groups refer to each other, and it admits only the tasks anyway.
     */
    static List<Ingress> tasksEgress(DeployConfig config) {
        if (!config.network().restrictEgress()) {
            return ResourceSpec.ANY_EGRESS;
        }
        return List.of(
                new Ingress(443, "0.0.0.0/0", null),
                new Ingress(config.database().port(), "0.0.0.0/0", null));
    }

    /** The deployment's image repository, with the lifecycle policy's count (also made alone before a push). */
    public static Resource repository(Names names, DeployConfig config) {
        return new Resource(
                ResourceKind.REPOSITORY,
                names.repository(),
                new ResourceSpec.Repository(config.ecr().keepImages()));
    }

    private static Optional<Resource> scalableTarget(Names names, String service, DeployConfig.Component component) {
        DeployConfig.Autoscaling scaling = component.autoscaling();
        if (scaling == null) {
            return Optional.empty();
        }
        return Optional.of(new Resource(
                ResourceKind.SCALABLE_TARGET,
                names.scalableTarget(service),
                new ResourceSpec.ScalableTarget(
                        names.cluster(),
                        service,
                        scaling.min(),
                        scaling.max(),
                        scaling.requestsPerTarget(),
                        scaling.cpuPercent(),
                        scaling.requestsPerTarget() == null ? null : names.loadBalancer(),
                        scaling.requestsPerTarget() == null ? null : names.targetGroup())));
    }

    /**
     * The webserver container's shell: migrate, create the admin user once (a second create fails
     * because the user exists, which is the expected outcome after the first start), then become
     * the webserver so that ECS's SIGTERM reaches the JVM.
     */
    static String webserverStartup() {
        return webserverStartup(GUST);
    }

    static String webserverStartup(String gust) {
        return gust + " db migrate && { printf '%s\\n' \"$GUST_ADMIN_PASSWORD\" | " + gust
                + " users create --username admin --role admin --password-stdin >/dev/null 2>&1 || true; } && exec "
                + gust + " webserver";
    }

    /**
     * The scheduler's settings: the shared environment, plus, with {@code executor: ecs}, where its
     * ECS executor launches worker tasks. Subnets and the tasks' security group are named here and
     * turned into AWS ids when the task definition is registered ({@link #SUBNET_IDS_OF},
     * {@link #SECURITY_GROUP_ID_OF}), because a deployment's own ones have no id before they exist.
     */
    private static Map<String, String> schedulerEnvironment(
            Names names, DeployConfig config, Network network, Account account, Map<String, String> shared) {
        Map<String, String> environment = new TreeMap<>(shared);
        environment.put("GUST_DAG_BUNDLE__S3_URI", names.dagBundleUri(account));
        if (config.executor().equals("ecs")) {
            environment.put("GUST_CORE__EXECUTOR", "ecs");
            environment.put("GUST_ECS__CLUSTER", names.cluster());
            environment.put("GUST_ECS__TASK_DEFINITION", names.taskFamily(WORKER));
            environment.put("GUST_ECS__CONTAINER_NAME", WORKER);
            environment.put("GUST_ECS__SUBNETS", SUBNET_IDS_OF + String.join(",", network.subnetIds()));
            environment.put("GUST_ECS__SECURITY_GROUPS", SECURITY_GROUP_ID_OF + names.tasksGroup());
            environment.put(
                    "GUST_ECS__ASSIGN_PUBLIC_IP",
                    String.valueOf(config.network().assignPublicIp()));
        }
        return environment;
    }

    /** An environment value that the applier replaces with the ids of these subnets (names or ids, comma-separated). */
    public static final String SUBNET_IDS_OF = "gust-deploy:subnet-ids-of:";
    /** An environment value that the applier replaces with the CIDR block of this VPC (name or id). */
    public static final String VPC_CIDR_OF = "gust-deploy:vpc-cidr-of:";
    /** An environment value that the applier replaces with the id of this security group (by name). */
    public static final String SECURITY_GROUP_ID_OF = "gust-deploy:security-group-id-of:";

    private static Resource taskDefinition(
            Names names,
            String component,
            DeployConfig.Component size,
            String image,
            List<String> entryPoint,
            List<String> command,
            List<Integer> ports,
            Map<String, String> environment,
            Map<String, String> secrets,
            ResourceSpec.HealthCheck healthCheck,
            int stopTimeout,
            String cpuArchitecture) {
        return new Resource(
                ResourceKind.TASK_DEFINITION,
                names.taskFamily(component),
                new ResourceSpec.TaskDefinition(
                        size.cpu(),
                        size.memory(),
                        names.executionRole(),
                        names.taskRole(),
                        component,
                        image,
                        entryPoint,
                        command,
                        ports,
                        new TreeMap<>(environment),
                        new TreeMap<>(secrets),
                        healthCheck,
                        stopTimeout,
                        names.logGroup(component),
                        cpuArchitecture));
    }

    /**
     * The deployment's own VPC: public subnets (the ALB, the NAT gateway) route to the internet
     * gateway; private ones (tasks, database) to one NAT gateway, through which tasks pull the
     * image and call AWS APIs. One NAT gateway, not one per zone: a zone outage cuts the private
     * subnets' outbound traffic, at half the hourly cost.
     */
    static List<Resource> ownNetwork(Names names, String cidr, Network network) {
        List<Resource> resources = new ArrayList<>();
        resources.add(new Resource(ResourceKind.VPC, names.vpc(), new ResourceSpec.Vpc(cidr, true, true)));
        resources.add(new Resource(
                ResourceKind.INTERNET_GATEWAY, names.internetGateway(), new ResourceSpec.InternetGateway(names.vpc())));
        for (int zone = 0; zone < 2; zone++) {
            resources.add(new Resource(
                    ResourceKind.SUBNET,
                    network.publicSubnetIds().get(zone),
                    new ResourceSpec.Subnet(
                            names.vpc(),
                            Cidr.subnet(cidr, zone),
                            network.zones().get(zone),
                            true)));
        }
        for (int zone = 0; zone < 2; zone++) {
            resources.add(new Resource(
                    ResourceKind.SUBNET,
                    network.subnetIds().get(zone),
                    new ResourceSpec.Subnet(
                            names.vpc(),
                            Cidr.subnet(cidr, 2 + zone),
                            network.zones().get(zone),
                            false)));
        }
        resources.add(new Resource(ResourceKind.ELASTIC_IP, names.natAddress(), new ResourceSpec.ElasticIp()));
        resources.add(new Resource(
                ResourceKind.NAT_GATEWAY,
                names.natGateway(),
                new ResourceSpec.NatGateway(network.publicSubnetIds().get(0), names.natAddress())));
        resources.add(new Resource(
                ResourceKind.ROUTE_TABLE,
                names.routeTable("public"),
                new ResourceSpec.RouteTable(names.vpc(), network.publicSubnetIds(), names.internetGateway(), null)));
        resources.add(new Resource(
                ResourceKind.ROUTE_TABLE,
                names.routeTable("private"),
                new ResourceSpec.RouteTable(names.vpc(), network.subnetIds(), null, names.natGateway())));
        return resources;
    }

    /**
     * The execution role: what ECS's agent needs to start a task. {@code ecr:GetAuthorizationToken}
     * has no resource-level permissions, so it is the one statement on {@code *}.
     */
    static String executionPolicy(Names names, Account account, List<String> secretNames) {
        List<Object> statements = new ArrayList<>();
        statements.add(statement("EcrToken", List.of("ecr:GetAuthorizationToken"), List.of("*")));
        statements.add(statement(
                "PullImage",
                List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                List.of(account.arn("ecr", "repository/" + names.repository()))));
        statements.add(statement(
                "WriteLogs",
                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(WEBSERVER, SCHEDULER, WORKER).stream()
                        .map(c -> account.arn("logs", "log-group:" + names.logGroup(c) + ":*"))
                        .toList()));
        // Secrets Manager appends six random characters to a secret's ARN.
        statements.add(statement(
                "ReadSecrets",
                List.of("secretsmanager:GetSecretValue"),
                secretNames.stream()
                        .map(s -> account.arn("secretsmanager", "secret:" + s + "-??????"))
                        .toList()));
        return policy(statements);
    }

    /**
     * The task role: what Gust itself calls. The scheduler's ECS executor starts worker tasks of
     * its own family in its own cluster, passes the two roles to them, follows and stops them,
     * and reads their logs.
     */
    static String taskPolicy(Names names, Account account, DeployConfig.Iam iam, boolean notificationTopic) {
        List<Object> statements = new ArrayList<>();
        if (notificationTopic) {
            // callbacks' sns notifiers publish to the deployment's topic (notifications.sns_topic)
            statements.add(statement(
                    "PublishNotifications",
                    List.of("sns:Publish"),
                    List.of(account.arn("sns", names.notificationTopic()))));
        }
        Map<String, Object> runWorkers = statement(
                "RunWorkers",
                List.of("ecs:RunTask"),
                List.of(account.arn("ecs", "task-definition/" + names.taskFamily(WORKER) + ":*")));
        // ... and only in the deployment's own cluster
        runWorkers.put(
                "Condition",
                Map.of("ArnEquals", Map.of("ecs:cluster", account.arn("ecs", "cluster/" + names.cluster()))));
        statements.add(runWorkers);
        statements.add(statement(
                "FollowWorkers",
                List.of("ecs:DescribeTasks", "ecs:StopTask"),
                List.of(account.arn("ecs", "task/" + names.cluster() + "/*"))));
        // A restarted scheduler finds the worker of a try it launched but had not recorded by its
        // startedBy (ListTasks); IAM checks ListTasks on container instances, filtered by cluster.
        Map<String, Object> listWorkers = statement(
                "ListWorkers",
                List.of("ecs:ListTasks"),
                List.of(account.arn("ecs", "container-instance/" + names.cluster() + "/*")));
        listWorkers.put(
                "Condition",
                Map.of("ArnEquals", Map.of("ecs:cluster", account.arn("ecs", "cluster/" + names.cluster()))));
        statements.add(listWorkers);
        statements.add(statement(
                "PassRoles",
                List.of("iam:PassRole"),
                List.of(
                        account.globalArn("iam", "role/" + names.executionRole()),
                        account.globalArn("iam", "role/" + names.taskRole()))));
        // The scheduler syncs its DAG folder from the DAG bundle (dag_bundle.s3_uri).
        statements.add(statement(
                "ReadDagBundle",
                List.of("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"),
                List.of(
                        "arn:" + account.partition() + ":s3:::" + names.dagBucket(account),
                        "arn:" + account.partition() + ":s3:::" + names.dagBucket(account) + "/*")));
        statements.add(statement(
                "ReadWorkerLogs",
                List.of("logs:GetLogEvents"),
                List.of(account.arn("logs", "log-group:" + names.logGroup(WORKER) + ":*"))));
        statements.addAll(TaskRoleGrants.statements(iam, account)); // deploy.yaml's iam section
        return policy(statements);
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        statement.put("Resource", resources);
        return statement;
    }

    private static String policy(List<Object> statements) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        try {
            return new ObjectMapper().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
