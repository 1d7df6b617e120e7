package dev.gust.deploy;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.apply.Applier;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.Inventory;
import dev.gust.deploy.aws.ResourceHandlers;
import dev.gust.deploy.image.ImagePublisher;
import dev.gust.deploy.model.Account;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Network;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.plan.Existing;
import dev.gust.deploy.plan.Plan;
import dev.gust.deploy.plan.PlanAction;
import dev.gust.deploy.plan.Planner;
import dev.gust.deploy.run.CommandRun;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * One named Gust deployment in one AWS account and region: {@code plan}, {@code up},
 * {@code status} and {@code down}, each reading what exists first, so every command can be
 * re-run, and {@code up} finishes what an interrupted {@code up} started; {@code run} runs one
 * {@code gust} command against it.
 */
public final class Deployment {

    /** Shown as the image in a plan when nothing is deployed yet and {@code up} will build one. */
    public static final String IMAGE_TO_BUILD = "(image built and pushed by up)";

    private final AwsClients aws;
    private final Names names;
    private final DeployConfig config;
    private final PrintStream out;
    private final Duration pollInterval;
    private final Duration stableTimeout;

    public Deployment(
            AwsClients aws,
            String name,
            DeployConfig config,
            PrintStream out,
            Duration pollInterval,
            Duration stableTimeout) {
        this.aws = aws;
        this.names = new Names(name);
        this.config = config;
        this.out = out;
        this.pollInterval = pollInterval;
        this.stableTimeout = stableTimeout;
    }

    public Names names() {
        return names;
    }

    /** The clients this deployment is managed through ({@code gust deploy dags} uploads with its S3 client). */
    public AwsClients aws() {
        return aws;
    }

    /**
     * Where the deployment's DAG bundle lives ({@code s3://BUCKET/dags}), once its bucket is known
     * to exist and to be the deployment's: the one line otherwise says how to make it.
     */
    public String dagBundleUri() {
        Account account = new Inventory(aws, names).account();
        List<Existing> bucket = ResourceHandlers.STANDARD
                .of(ResourceKind.DAG_BUCKET)
                .find(new FindContext(aws, names, ResourceKind.DAG_BUCKET, List.of()));
        if (bucket.isEmpty()) {
            throw new DeployException("deployment " + names.deployment() + " has no DAG bucket in "
                    + aws.region().id() + " (" + names.dagBucket(account) + " does not exist): check --name and"
                    + " --region, or create it with gust deploy up --name " + names.deployment());
        }
        return names.dagBundleUri(account);
    }

    /** What {@code up} would do with {@code image} (without it: the image deployed now, if any). */
    public Plan plan(Optional<String> image) {
        Inventory inventory = new Inventory(aws, names);
        List<Existing> existing = inventory.existing();
        String resolved = image.orElseGet(() -> currentImage(existing).orElse(IMAGE_TO_BUILD));
        return Planner.plan(desired(inventory, resolved), existing);
    }

    private List<Resource> desired(Inventory inventory, String image) {
        Account account = inventory.account();
        Network network = inventory.network(config.network());
        return DesiredState.compute(names, config, network, account, image);
    }

    /**
     * Creates or updates everything, then waits until the services are stable. Without
     * {@code image}, builds the image and pushes it to the deployment's ECR repository first.
     * Returns the URL.
     */
    public String up(Optional<String> image, ImagePublisher publisher) {
        image.ifPresent(Deployment::requireDigest);
        Inventory inventory = new Inventory(aws, names);
        List<Existing> existing = inventory.existing();
        String deployed = image.orElse(null);
        if (deployed == null) {
            deployed = buildAndPush(inventory, existing, publisher);
            existing = inventory.existing();
        }
        Plan plan = Planner.plan(desired(inventory, deployed), existing);
        out.print(plan.render());
        new Applier(aws, names, out).givenDatabaseUrl(config.database().url()).apply(plan, existing);
        boolean servicesChanged = plan.actions().stream()
                .anyMatch(a -> a.kind() == ResourceKind.SERVICE && !(a instanceof PlanAction.NoChange));
        if (servicesChanged) {
            waitUntilStable();
        }
        String url = url().orElseThrow(
                        () -> new DeployException("the load balancer " + names.loadBalancer() + " is missing"));
        out.println("Gust " + names.deployment() + " is up: " + url);
        return url;
    }

    private String buildAndPush(Inventory inventory, List<Existing> existing, ImagePublisher publisher) {
        Resource repository = DesiredState.repository(names, config);
        Plan repoPlan = Planner.plan(
                List.of(repository),
                existing.stream()
                        .filter(e -> e.kind() == ResourceKind.REPOSITORY)
                        .toList());
        new Applier(aws, names, out).apply(repoPlan, existing);
        String repositoryUri = call(
                "ecr:DescribeRepositories",
                names.repository(),
                () -> aws.ecr()
                        .describeRepositories(r -> r.repositoryNames(names.repository()))
                        .repositories()
                        .get(0)
                        .repositoryUri());
        var token = call(
                "ecr:GetAuthorizationToken",
                "*",
                () -> aws.ecr().getAuthorizationToken().authorizationData().get(0));
        String decoded = new String(Base64.getDecoder().decode(token.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String registry = token.proxyEndpoint().replaceFirst("^https?://", "");
        String tag = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        return publisher.publish(
                repositoryUri,
                tag,
                new ImagePublisher.RegistryLogin(registry, decoded.substring(0, colon), decoded.substring(colon + 1)),
                new ImagePublisher.ImageBuild(
                        config.imagePlatform(), config.pythonRequirements().text()));
    }

    static void requireDigest(String image) {
        if (!image.matches(".+@sha256:[0-9a-f]{64}")) {
            throw new DeployException(
                    "--image must name an image by digest (URI@sha256:<64 hex digits>), got " + image);
        }
    }

    private Optional<String> currentImage(List<Existing> existing) {
        return existing.stream()
                .filter(e -> e.kind() == ResourceKind.TASK_DEFINITION
                        && e.name().equals(names.taskFamily(DesiredState.WEBSERVER)))
                .findFirst()
                .map(e -> call(
                        "ecs:DescribeTaskDefinition",
                        e.name(),
                        () -> aws.ecs()
                                .describeTaskDefinition(
                                        r -> r.taskDefinition(e.id()).include(TaskDefinitionField.TAGS))
                                .taskDefinition()
                                .containerDefinitions()
                                .get(0)
                                .image()));
    }

    /** Polls the services until each runs its desired count of its newest deployment, showing progress. */
    public void waitUntilStable() {
        long deadline = System.nanoTime() + stableTimeout.toNanos();
        String last = "";
        while (true) {
            List<Service> services = describeServices();
            StringBuilder line = new StringBuilder("  services:");
            boolean stable = true;
            for (Service service : services) {
                var primary = service.deployments().stream()
                        .filter(d -> "PRIMARY".equals(d.status()))
                        .findFirst();
                String rollout = primary.map(d -> d.rolloutStateAsString()).orElse(null);
                if (service.deployments().stream().anyMatch(d -> "FAILED".equals(d.rolloutStateAsString()))) {
                    String reason = service.deployments().stream()
                            .filter(d -> "FAILED".equals(d.rolloutStateAsString()))
                            .map(d -> d.rolloutStateReason())
                            .findFirst()
                            .orElse("");
                    throw new DeployException("the deployment of service " + service.serviceName()
                            + " failed and was rolled back by the circuit breaker: " + reason
                            + " (see gust deploy status)");
                }
                boolean done = service.deployments().size() <= 1
                        && service.runningCount() == service.desiredCount()
                        && service.pendingCount() == 0
                        && (rollout == null || "COMPLETED".equals(rollout));
                stable &= done;
                line.append(String.format(
                        " %s %d/%d running, %d pending%s;",
                        service.serviceName(),
                        service.runningCount(),
                        service.desiredCount(),
                        service.pendingCount(),
                        rollout == null ? "" : ", " + rollout.toLowerCase()));
            }
            if (!line.toString().equals(last)) {
                out.println(line);
                last = line.toString();
            }
            if (stable) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DeployException("the services did not become stable within " + stableTimeout.toMinutes()
                        + " min; ECS keeps trying (see gust deploy status --name " + names.deployment() + ")");
            }
            sleep(pollInterval);
        }
    }

    private List<Service> describeServices() {
        return call(
                        "ecs:DescribeServices",
                        names.cluster(),
                        () -> aws.ecs()
                                .describeServices(r -> r.cluster(names.cluster())
                                        .services(DesiredState.WEBSERVER, DesiredState.SCHEDULER))
                                .services())
                .stream()
                .filter(s -> !"INACTIVE".equals(s.status()))
                .toList();
    }

    /** The webserver's URL: HTTPS when a certificate is configured. */
    public Optional<String> url() {
        try {
            var lb = aws.elb()
                    .describeLoadBalancers(r -> r.names(names.loadBalancer()))
                    .loadBalancers()
                    .get(0);
            // From the listeners, not deploy.yaml: status and down may run without the file.
            boolean https =
                    aws.elb().describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().stream()
                            .anyMatch(l -> l.port() == 443);
            return Optional.of((https ? "https://" : "http://") + lb.dnsName());
        } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException e) {
            return Optional.empty();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw dev.gust.deploy.aws.AwsCalls.translate(
                    e, "elasticloadbalancing:DescribeLoadBalancers", names.loadBalancer());
        }
    }

    /** Per service: counts, deployments with their rollout state, recent events; scaling bounds; target health; the URL. */
    public String status() {
        List<Existing> existing = new Inventory(aws, names).existing();
        if (existing.isEmpty()) {
            return "Deployment " + names.deployment() + " does not exist in "
                    + aws.region().id() + ".\n";
        }
        StringBuilder report = new StringBuilder();
        report.append("Deployment ")
                .append(names.deployment())
                .append(" in ")
                .append(aws.region().id())
                .append(": ")
                .append(existing.size())
                .append(" resources\n");
        boolean hasCluster = existing.stream().anyMatch(e -> e.kind() == ResourceKind.CLUSTER);
        if (hasCluster) {
            for (Service service : describeServices()) {
                report.append(String.format(
                        "service %-10s desired %d, running %d, pending %d  (%s)%n",
                        service.serviceName(),
                        service.desiredCount(),
                        service.runningCount(),
                        service.pendingCount(),
                        service.taskDefinition()
                                .substring(service.taskDefinition().lastIndexOf('/') + 1)));
                for (var d : service.deployments()) {
                    report.append(String.format(
                            "  deployment %-8s %s, %d/%d running, %d pending%s%n",
                            d.status(),
                            d.rolloutStateAsString() == null ? "-" : d.rolloutStateAsString(),
                            d.runningCount(),
                            d.desiredCount(),
                            d.pendingCount(),
                            d.rolloutStateReason() == null ? "" : ": " + d.rolloutStateReason()));
                }
                service.events().stream()
                        .limit(5)
                        .forEach(event -> report.append("  ")
                                .append(event.createdAt())
                                .append("  ")
                                .append(event.message())
                                .append('\n'));
            }
        }
        existing.stream()
                .filter(e -> e.kind() == ResourceKind.NOTIFICATION_TOPIC)
                .forEach(topic -> report.append("notifications: SNS topic ")
                        .append(topic.id())
                        .append(" (sns notifier callbacks without target_arn publish here)\n"));
        existing.stream()
                .filter(e -> e.kind() == ResourceKind.SCALABLE_TARGET)
                .forEach(target -> call(
                                "application-autoscaling:DescribeScalableTargets",
                                target.name(),
                                () -> aws.autoscaling()
                                        .describeScalableTargets(
                                                r -> r.serviceNamespace("ecs").resourceIds(target.id()))
                                        .scalableTargets())
                        .forEach(t -> report.append(String.format(
                                "scaling %s: %d to %d tasks%n", t.resourceId(), t.minCapacity(), t.maxCapacity()))));
        existing.stream()
                .filter(e -> e.kind() == ResourceKind.TARGET_GROUP)
                .findFirst()
                .ifPresent(tg -> {
                    var targets = call(
                            "elasticloadbalancing:DescribeTargetHealth",
                            tg.name(),
                            () -> aws.elb()
                                    .describeTargetHealth(r -> r.targetGroupArn(tg.id()))
                                    .targetHealthDescriptions());
                    report.append("targets: ")
                            .append(targets.isEmpty() ? "none registered" : "")
                            .append('\n');
                    for (var target : targets) {
                        report.append(String.format(
                                "  %s:%d %s%s%n",
                                target.target().id(),
                                target.target().port(),
                                target.targetHealth().stateAsString(),
                                target.targetHealth().description() == null
                                        ? ""
                                        : " (" + target.targetHealth().description() + ")"));
                    }
                });
        List<String> alarms = existing.stream()
                .filter(e -> e.kind() == ResourceKind.ALARM)
                .map(Existing::name)
                .toList();
        if (!alarms.isEmpty()) {
            var firing = call(
                            "cloudwatch:DescribeAlarms",
                            names.prefix(),
                            () -> aws.cloudwatch()
                                    .describeAlarms(r -> r.alarmNames(alarms).stateValue(StateValue.ALARM))
                                    .metricAlarms())
                    .stream()
                    .filter(a -> a.stateValue() == StateValue.ALARM)
                    .toList();
            report.append(String.format("alarms: %d of %d in ALARM%n", firing.size(), alarms.size()));
            for (var alarm : firing) {
                report.append(String.format(
                        "  ALARM %s since %s: %s%n",
                        alarm.alarmName(), alarm.stateUpdatedTimestamp(), alarm.stateReason()));
            }
        }
        url().ifPresent(url -> report.append("url: ").append(url).append('\n'));
        return report.toString();
    }

    /**
     * Runs {@code gust ARGUMENTS} as one task of the deployment's worker task definition, its log
     * lines on this deployment's stream and its progress on {@code progress}; returns its exit code.
     */
    public int run(List<String> arguments, PrintStream progress) {
        // a log followed every 10 s (up's poll) reads like a stalled command: 2 s at most
        Duration follow = pollInterval.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : pollInterval;
        return new CommandRun(aws, names, out, progress, follow).run(arguments);
    }

    /** Deletes every resource of the deployment, in reverse creation order, waiting for each. Returns how many. */
    public int down() {
        Inventory inventory = new Inventory(aws, names);
        List<Existing> existing = inventory.existing();
        Plan plan = Planner.teardown(existing);
        new Applier(aws, names, out).apply(plan, existing);
        List<Existing> left = inventory.existing();
        if (!left.isEmpty()) {
            throw new DeployException("down left " + left.size() + " resources ("
                    + left.get(0).kind().label() + " " + left.get(0).name() + " ...): run it again");
        }
        out.println(
                existing.isEmpty()
                        ? "Deployment " + names.deployment() + " does not exist: nothing to delete."
                        : "Deleted deployment " + names.deployment() + ": " + existing.size() + " resources.");
        return existing.size();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        }
    }
}
