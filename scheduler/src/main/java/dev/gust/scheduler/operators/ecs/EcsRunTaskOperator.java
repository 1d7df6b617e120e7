package dev.gust.scheduler.operators.ecs;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * {@code ecs_run_task}, Airflow's EcsRunTaskOperator: runs a task definition (or, with
 * {@code image} and {@code command}, a task definition registered for that image) on
 * {@code cluster} with {@code overrides}, waits until it stops, and shows its CloudWatch log lines
 * ({@code awslogs_group}, {@code awslogs_stream_prefix}) in the task log as they arrive. Exit code
 * 0 succeeds, one in {@code skip_on_exit_code} skips, anything else fails. With {@code reattach}
 * a retry finds the still-running ECS task of an earlier try by its {@code startedBy} (a stable id
 * of the task instance) instead of starting a second one. When the try is stopped (timeout,
 * clear) the ECS task is stopped too. AWS region, credentials and endpoint come from the SDK's
 * standard configuration.
 */
public final class EcsRunTaskOperator implements Operator {

    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(6);

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.ECS_RUN_TASK;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws Exception {
        OperatorArgs args = OperatorArgs.of(context);
        String cluster = args.requiredString("cluster");
        Duration pollInterval = args.duration("poll_interval", DEFAULT_POLL_INTERVAL);
        Set<Integer> skipOn = new HashSet<>(args.intList("skip_on_exit_code", List.of()));
        String startedBy = startedBy(context);
        try (EcsClient ecs = EcsClient.builder()
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .build();
                CloudWatchLogsClient logs = CloudWatchLogsClient.builder()
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .build()) {
            String reattached = args.bool("reattach", false) ? findRunning(ecs, cluster, startedBy, context) : null;
            String taskArn = reattached != null ? reattached : start(ecs, context, args, cluster, startedBy);
            String stream = args.string("awslogs_stream_prefix")
                    .map(p -> p + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1))
                    .orElse(null);
            CloudWatchTail tail = args.string("awslogs_group")
                    .filter(g -> stream != null)
                    .map(group -> new CloudWatchTail(logs, group, stream))
                    .orElse(null);
            try {
                while (true) {
                    Thread.sleep(pollInterval);
                    String arn = taskArn;
                    Task task = ecs.describeTasks(b -> b.cluster(cluster).tasks(arn)).tasks().stream()
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("ECS no longer knows task " + arn));
                    if (tail != null) {
                        tail.copyNewLines(context);
                    }
                    if ("STOPPED".equals(task.lastStatus())) {
                        if (tail != null) {
                            tail.copyNewLines(context);
                        }
                        context.log().info("ECS task %s stopped: %s", taskArn, task.stoppedReason());
                        return EcsExitCodes.outcome(
                                taskArn,
                                task.stoppedReason(),
                                task.containers().stream()
                                        .map(c -> new EcsExitCodes.StoppedContainer(c.name(), c.exitCode(), c.reason()))
                                        .toList(),
                                skipOn);
                    }
                }
            } catch (InterruptedException e) {
                // timed out or changed elsewhere: the container must not run on unwatched
                String arn = taskArn;
                ecs.stopTask(b -> b.cluster(cluster).task(arn).reason("Gust: the task instance was stopped"));
                context.log().info("Stopped ECS task %s", taskArn);
                throw e;
            }
        }
    }

    /** A running ECS task of an earlier try of this task instance, if any. */
    private static String findRunning(EcsClient ecs, String cluster, String startedBy, TaskRunContext context) {
        List<String> running = ecs.listTasks(
                        b -> b.cluster(cluster).startedBy(startedBy).desiredStatus(DesiredStatus.RUNNING))
                .taskArns();
        if (running.isEmpty()) {
            return null;
        }
        context.log().info("Reattached to ECS task %s of an earlier try (startedBy %s)", running.getFirst(), startedBy);
        return running.getFirst();
    }

    private String start(EcsClient ecs, TaskRunContext context, OperatorArgs args, String cluster, String startedBy) {
        String taskDefinition = args.string("task_definition").orElse(null);
        List<String> command = args.has("command") ? commandOf(args) : null;
        if (taskDefinition == null) {
            taskDefinition = registerForImage(ecs, args.requiredString("image"), context);
        }
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .launchType(args.string("launch_type", "FARGATE"))
                .count(1)
                .startedBy(startedBy)
                .overrides(overrides(
                        args.has("overrides") ? args.map("overrides") : Map.of(),
                        command,
                        args.string("container_name", "main")));
        if (args.has("network_configuration")) {
            request.networkConfiguration(network(args.map("network_configuration")));
        }
        RunTaskResponse response = ecs.runTask(request.build());
        if (!response.failures().isEmpty()) {
            throw new IllegalStateException(
                    "RunTask failed: " + response.failures().getFirst().reason());
        }
        String arn = response.tasks().getFirst().taskArn();
        context.log()
                .info(
                        "Started ECS task %s of %s on cluster %s (startedBy %s)",
                        arn, taskDefinition, cluster, startedBy);
        return arn;
    }

    private static List<String> commandOf(OperatorArgs args) {
        Object raw = args.raw("command");
        return raw instanceof List<?> ? args.stringList("command") : List.of("sh", "-c", String.valueOf(raw));
    }

    /** {@code image} without a task definition: one Fargate task definition per image, registered on use. */
    private static String registerForImage(EcsClient ecs, String image, TaskRunContext context) {
        String family = "gust-run-" + hash(image).substring(0, 16);
        ecs.registerTaskDefinition(b -> b.family(family)
                .networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE)
                .cpu("256")
                .memory("512")
                .containerDefinitions(
                        c -> c.name("main").image(image).memory(512).essential(true)));
        context.log().info("Registered task definition %s for image %s", family, image);
        return family;
    }

    /** Airflow's overrides shape: {containerOverrides: [{name, command, environment: [{name, value}]}], cpu, memory}. */
    @SuppressWarnings("unchecked")
    static TaskOverride overrides(Map<String, Object> overrides, List<String> command, String defaultContainer) {
        TaskOverride.Builder task = TaskOverride.builder();
        if (overrides.get("cpu") != null) {
            task.cpu(String.valueOf(overrides.get("cpu")));
        }
        if (overrides.get("memory") != null) {
            task.memory(String.valueOf(overrides.get("memory")));
        }
        List<ContainerOverride> containers = new ArrayList<>();
        if (overrides.get("containerOverrides") instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> raw)) {
                    throw new InvalidArgumentException("overrides.containerOverrides must be a list of mappings");
                }
                Map<String, Object> c = (Map<String, Object>) raw;
                ContainerOverride.Builder container =
                        ContainerOverride.builder().name(String.valueOf(c.get("name")));
                if (c.get("command") instanceof List<?> cmd) {
                    container.command(cmd.stream().map(String::valueOf).toList());
                }
                if (c.get("environment") instanceof List<?> env) {
                    container.environment(env.stream()
                            .map(e -> (Map<String, Object>) e)
                            .map(e -> KeyValuePair.builder()
                                    .name(String.valueOf(e.get("name")))
                                    .value(String.valueOf(e.get("value")))
                                    .build())
                            .toList());
                }
                if (c.get("memory") != null) {
                    container.memory(Integer.valueOf(String.valueOf(c.get("memory"))));
                }
                containers.add(container.build());
            }
        }
        if (command != null) {
            containers.add(ContainerOverride.builder()
                    .name(defaultContainer)
                    .command(command)
                    .build());
        }
        return task.containerOverrides(containers).build();
    }

    @SuppressWarnings("unchecked")
    private static NetworkConfiguration network(Map<String, Object> config) {
        if (!(config.get("awsvpcConfiguration") instanceof Map<?, ?> raw)) {
            throw new InvalidArgumentException(
                    "network_configuration needs awsvpcConfiguration: {subnets: [...], " + "securityGroups: [...]}");
        }
        Map<String, Object> vpc = (Map<String, Object>) raw;
        AwsVpcConfiguration.Builder awsvpc = AwsVpcConfiguration.builder()
                .subnets(((List<Object>) vpc.getOrDefault("subnets", List.of()))
                        .stream().map(String::valueOf).toList())
                .securityGroups(((List<Object>) vpc.getOrDefault("securityGroups", List.of()))
                        .stream().map(String::valueOf).toList());
        if (vpc.get("assignPublicIp") != null) {
            awsvpc.assignPublicIp(AssignPublicIp.fromValue(String.valueOf(vpc.get("assignPublicIp"))));
        }
        return NetworkConfiguration.builder()
                .awsvpcConfiguration(awsvpc.build())
                .build();
    }

    /** The same for every try of one task instance (ECS allows 36 characters): what reattach looks for. */
    static String startedBy(TaskRunContext context) {
        return "gust-op-"
                + hash(context.dagId() + "\u0000" + context.runId() + "\u0000"
                                + context.task().taskId() + "\u0000" + context.mapIndex())
                        .substring(0, 28);
    }

    private static String hash(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Follows one CloudWatch Logs stream with GetLogEvents' forward token, so each line is copied once. */
    private static final class CloudWatchTail {
        private final CloudWatchLogsClient logs;
        private final String group;
        private final String stream;
        private String token;

        CloudWatchTail(CloudWatchLogsClient logs, String group, String stream) {
            this.logs = logs;
            this.group = group;
            this.stream = stream;
        }

        void copyNewLines(TaskRunContext context) {
            while (true) {
                GetLogEventsResponse page;
                try {
                    page = logs.getLogEvents(b -> b.logGroupName(group)
                            .logStreamName(stream)
                            .startFromHead(true)
                            .nextToken(token));
                } catch (ResourceNotFoundException notYet) {
                    return; // the container has not written anything yet
                }
                for (OutputLogEvent event : page.events()) {
                    context.log().line("[" + stream + "] " + event.message());
                }
                boolean moved = page.nextForwardToken() != null
                        && !page.nextForwardToken().equals(token);
                token = page.nextForwardToken();
                if (!moved || page.events().isEmpty()) {
                    return;
                }
            }
        }
    }
}
