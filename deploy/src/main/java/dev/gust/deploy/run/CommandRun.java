package dev.gust.deploy.run;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * {@code gust deploy run}: one {@code gust} command run against a deployment's database, as one
 * ECS task of its worker task definition (the image, secrets and roles of the deployment) with the
 * command as the container's command override, in the scheduler's subnets with the tasks' security
 * group (read from the scheduler service, so deploy.yaml is not needed). It shows a line whenever the
 * task's status changes until it runs, copies the container's CloudWatch log lines to {@code out} as
 * they arrive, and returns the container's exit code once the task stopped. The long-running
 * commands are refused: they are the deployment's services, and a one-off copy would run until stopped by hand.
 */
public final class CommandRun {

    /** The commands that serve rather than finish: the deployment runs them as services. */
    public static final Set<String> REFUSED = Set.of("standalone", "webserver", "scheduler");

    static final String STARTED_BY = "gust-deploy-run";

    private final AwsClients aws;
    private final Names names;
    private final PrintStream out;
    private final PrintStream progress;
    private final Duration pollInterval;

    public CommandRun(AwsClients aws, Names names, PrintStream out, PrintStream progress, Duration pollInterval) {
        this.aws = aws;
        this.names = names;
        this.out = out;
        this.progress = progress;
        this.pollInterval = pollInterval;
    }

    /** Runs {@code gust ARGUMENTS} as a task, following it to the end; returns its exit code. */
    public int run(List<String> arguments) {
        refuseServices(arguments);
        String cluster = names.cluster();
        AwsVpcConfiguration network = schedulerNetwork();
        String family = names.taskFamily(DesiredState.WORKER);
        TaskDefinition definition = call(
                "ecs:DescribeTaskDefinition",
                family,
                () -> aws.ecs()
                        .describeTaskDefinition(b -> b.taskDefinition(family))
                        .taskDefinition());
        String container = definition.containerDefinitions().get(0).name();
        var logOptions =
                definition.containerDefinitions().get(0).logConfiguration().options();
        var started = call(
                "ecs:RunTask",
                definition.taskDefinitionArn(),
                () -> aws.ecs()
                        .runTask(b -> b.cluster(cluster)
                                .taskDefinition(definition.taskDefinitionArn())
                                .launchType(LaunchType.FARGATE)
                                .count(1)
                                .startedBy(STARTED_BY)
                                .networkConfiguration(n -> n.awsvpcConfiguration(network))
                                .overrides(o -> o.containerOverrides(
                                        c -> c.name(container).command(arguments)))));
        if (!started.failures().isEmpty() || started.tasks().isEmpty()) {
            var failure =
                    started.failures().isEmpty() ? null : started.failures().get(0);
            throw new DeployException("ECS did not start the task"
                    + (failure == null ? "" : ": " + failure.reason() + " " + failure.detail()));
        }
        String taskArn = started.tasks().get(0).taskArn();
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        // awslogs names a task's stream PREFIX/CONTAINER/TASK-ID
        String stream = logOptions.get("awslogs-stream-prefix") + "/" + container + "/" + taskId;
        LogTail tail = new LogTail(logOptions.get("awslogs-group"), stream);
        progress.printf(
                "started task %s in %s: gust %s (log %s %s)%n",
                taskId, cluster, String.join(" ", arguments), tail.group, stream);
        String status = "";
        while (true) {
            Task task = describe(cluster, taskArn);
            String now = task.lastStatus();
            if (!now.equals(status)) {
                progress.printf("  task %s%n", now.toLowerCase());
                status = now;
            }
            tail.copyNewLines();
            if ("STOPPED".equals(now)) {
                tail.copyNewLines(); // what arrived between the describe and the first copy
                int exitCode = exitCode(task, container);
                progress.printf("  task %s stopped (%s): exit code %d%n", taskId, task.stoppedReason(), exitCode);
                return exitCode;
            }
            sleep();
        }
    }

    static void refuseServices(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new DeployException(
                    "give the gust command to run after --, e.g. gust deploy run --name NAME -- dags list");
        }
        String command =
                arguments.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
        if (REFUSED.contains(command)) {
            throw new DeployException("gust deploy run runs commands that finish; '" + command
                    + "' runs as a service of the deployment (gust deploy up starts it, status shows it)");
        }
    }

    /** The exit code of the container; a task that stopped before it ran is an error with ECS's reason. */
    static int exitCode(Task task, String container) {
        Container c = task.containers().stream()
                .filter(x -> container.equals(x.name()))
                .findFirst()
                .orElse(null);
        if (c == null || c.exitCode() == null) {
            throw new DeployException("the task stopped before the command ran: " + task.stoppedReason()
                    + (c == null || c.reason() == null ? "" : " (" + c.reason() + ")"));
        }
        return c.exitCode();
    }

    private AwsVpcConfiguration schedulerNetwork() {
        var services = call(
                        "ecs:DescribeServices",
                        names.cluster(),
                        () -> aws.ecs()
                                .describeServices(
                                        b -> b.cluster(names.cluster()).services(DesiredState.SCHEDULER))
                                .services())
                .stream()
                .filter(s -> "ACTIVE".equals(s.status()))
                .toList();
        if (services.isEmpty()) {
            throw new DeployException("deployment " + names.deployment() + " does not exist in "
                    + aws.region().id() + " (no scheduler service in cluster " + names.cluster()
                    + "): gust deploy up --name " + names.deployment() + " first");
        }
        return services.get(0).networkConfiguration().awsvpcConfiguration();
    }

    private Task describe(String cluster, String taskArn) {
        return call(
                        "ecs:DescribeTasks",
                        taskArn,
                        () -> aws.ecs()
                                .describeTasks(b -> b.cluster(cluster).tasks(taskArn))
                                .tasks())
                .stream()
                .findFirst()
                .orElseThrow(() -> new DeployException("ECS no longer knows task " + taskArn));
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        }
    }

    /** Follows one log stream with GetLogEvents' forward token, so each line is shown once. */
    private final class LogTail {
        private final String group;
        private final String stream;
        private String token;

        LogTail(String group, String stream) {
            this.group = group;
            this.stream = stream;
        }

        void copyNewLines() {
            while (true) {
                GetLogEventsResponse page;
                try {
                    page = aws.logs()
                            .getLogEvents(b -> b.logGroupName(group)
                                    .logStreamName(stream)
                                    .startFromHead(true)
                                    .nextToken(token));
                } catch (ResourceNotFoundException notYet) {
                    return; // the container has written nothing yet
                } catch (SdkException e) {
                    throw AwsCalls.translate(e, "logs:GetLogEvents", group + " " + stream);
                }
                for (OutputLogEvent event : page.events()) {
                    out.println(event.message());
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
