package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.runs.TaskInstanceKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Starts the Fargate worker task of one try with one {@code RunTask}: the worker task
 * definition, the awsvpc network from the config, and a command override that runs exactly that
 * try ({@code tasks run DAG TASK RUN_ID --try N}; the image's entrypoint is {@code gust}), plus the
 * task's own cpu, memory and environment from its {@code executor_config} argument where given.
 * {@code startedBy} is a stable id of the try, so the task can be found again by it.
 */
final class EcsTaskLauncher {

    /** How one RunTask ended. */
    sealed interface Launch {
        record Started(String taskArn) implements Launch {}

        record Failed(String reason) implements Launch {}
    }

    private final EcsClient ecs;
    private final GustConfig.Ecs config;

    EcsTaskLauncher(EcsClient ecs, GustConfig.Ecs config) {
        this.ecs = ecs;
        this.config = config;
    }

    /**
     * ECS allows 36 characters in {@code startedBy}: a prefix and a hash of the task instance and
     * try, the same on every scheduler and every restart.
     */
    static String startedBy(TaskInstanceKey key, int tryNumber) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key.dagId() + "\u0000" + key.runId() + "\u0000" + key.taskId() + "\u0000" + key.mapIndex()
                                    + "\u0000" + tryNumber)
                            .getBytes(StandardCharsets.UTF_8));
            return "gust-" + HexFormat.of().formatHex(digest).substring(0, 31);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> workerCommand(TaskInstanceKey key, int tryNumber) {
        List<String> command = new ArrayList<>(
                List.of("tasks", "run", key.dagId(), key.taskId(), key.runId(), "--try", String.valueOf(tryNumber)));
        if (key.mapIndex() >= 0) {
            // one instance of a mapped task: the worker must run that instance, not the task's placeholder
            command.addAll(List.of("--map-index", String.valueOf(key.mapIndex())));
        }
        return List.copyOf(command);
    }

    Launch launch(TaskInstanceKey key, int tryNumber, Map<String, Object> executorConfig) {
        ContainerOverride.Builder container =
                ContainerOverride.builder().name(config.containerName()).command(workerCommand(key, tryNumber));
        TaskOverride.Builder overrides = TaskOverride.builder();
        if (executorConfig != null) {
            Object cpu = executorConfig.get("cpu");
            Object memory = executorConfig.get("memory");
            if (cpu != null) {
                overrides.cpu(String.valueOf(cpu));
            }
            if (memory != null) {
                overrides.memory(String.valueOf(memory));
            }
            if (executorConfig.get("env") instanceof Map<?, ?> env) {
                List<KeyValuePair> pairs = new ArrayList<>();
                env.forEach((k, v) -> pairs.add(KeyValuePair.builder()
                        .name(String.valueOf(k))
                        .value(String.valueOf(v))
                        .build()));
                container.environment(pairs);
            }
        }
        RunTaskRequest request = RunTaskRequest.builder()
                .cluster(config.cluster())
                .taskDefinition(config.taskDefinition())
                .launchType(LaunchType.FARGATE)
                .count(1)
                .startedBy(startedBy(key, tryNumber))
                .networkConfiguration(NetworkConfiguration.builder()
                        .awsvpcConfiguration(AwsVpcConfiguration.builder()
                                .subnets(config.subnets())
                                .securityGroups(config.securityGroups())
                                .assignPublicIp(
                                        config.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)
                                .build())
                        .build())
                .overrides(overrides.containerOverrides(container.build()).build())
                .build();
        try {
            RunTaskResponse response = ecs.runTask(request);
            if (!response.failures().isEmpty()) {
                // capacity and placement problems come back as failures, not as an exception
                var failure = response.failures().getFirst();
                return new Launch.Failed("RunTask failure: " + failure.reason()
                        + (failure.detail() == null ? "" : " (" + failure.detail() + ")"));
            }
            if (response.tasks().isEmpty()) {
                return new Launch.Failed("RunTask started no task and reported no failure");
            }
            return new Launch.Started(response.tasks().getFirst().taskArn());
        } catch (SdkException e) {
            // throttling, a network error, a service error: all worth another attempt within the limit
            return new Launch.Failed("RunTask failed: " + e.getMessage());
        }
    }
}
