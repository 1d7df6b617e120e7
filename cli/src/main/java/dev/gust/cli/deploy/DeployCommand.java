package dev.gust.cli.deploy;

import dev.gust.cli.GustCommand;
import dev.gust.cli.common.UserError;
import dev.gust.deploy.Deployment;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.image.ContainerCliPublisher;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.plan.Plan;
import dev.gust.scheduler.bundle.DagBundleUpload;
import dev.gust.scheduler.bundle.S3Location;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code gust deploy plan|up|status|run|down|dags}: Gust on ECS Fargate behind an ALB, from nothing, in
 * the account and region of the AWS SDK's standard configuration. The inherited {@code --config}
 * names the deployment's {@code deploy.yaml} here (default: ./deploy.yaml if present, else all
 * defaults); README, "Deploying to AWS".
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = "Deploy Gust to AWS ECS Fargate behind an ALB, show its state, remove it.",
        subcommands = {
            DeployCommand.PlanCommand.class,
            DeployCommand.Up.class,
            DeployCommand.Status.class,
            DeployCommand.Run.class,
            DeployCommand.Down.class,
            DeployCommand.Dags.class
        })
public final class DeployCommand {

    private DeployCommand() {}

    /** The options every deploy subcommand takes. */
    static final class Target {
        @Option(
                names = {"-n", "--name"},
                required = true,
                paramLabel = "NAME",
                description =
                        "Deployment name (1-20 lowercase letters, digits, dashes): every resource is named and tagged with it.")
        String name;

        @Option(
                names = "--region",
                paramLabel = "REGION",
                description = "AWS region (default: AWS_REGION or the profile's).")
        String region;

        @Option(
                names = "--profile",
                paramLabel = "PROFILE",
                description = "AWS profile (default: AWS_PROFILE or default).")
        String profile;

        <T> T with(CommandSpec spec, Function<Deployment, T> work) {
            Path file = GustCommand.of(spec).configFile();
            DeployConfig config =
                    file != null ? DeployConfig.load(file, true) : DeployConfig.load(Path.of("deploy.yaml"), false);
            PrintStream out = System.out;
            try (AwsClients aws = AwsClients.create(
                    Optional.ofNullable(region), Optional.ofNullable(profile), Optional.empty(), Optional.empty())) {
                // A DeployException is a user error: UserErrorHandler prints its one line (the trace with --verbose).
                return work.apply(
                        new Deployment(aws, name, config, out, Duration.ofSeconds(10), Duration.ofMinutes(30)));
            }
        }
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description = "Show what 'up' would create, change or delete, resource by resource, changing nothing.")
    static final class PlanCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Option(
                names = "--image",
                paramLabel = "URI@sha256:DIGEST",
                description = "Plan for this image (default: the image deployed now).")
        String image;

        @Override
        public void run() {
            DeployClientsCheck.requireInstalled();
            Plan plan = target.with(spec, deployment -> deployment.plan(Optional.ofNullable(image)));
            System.out.print(plan.render());
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = "Create or update the deployment, wait until its services are stable, print the URL.")
    static final class Up implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Option(
                names = "--image",
                paramLabel = "URI@sha256:DIGEST",
                description = "Deploy this already-pushed image; skips the build and push.")
        String image;

        @Option(
                names = "--container-tool",
                paramLabel = "TOOL",
                defaultValue = "auto",
                description = "docker, podman or auto (docker when its engine answers, else podman) to build and push.")
        String tool;

        @Option(
                names = "--context",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "The Gust source tree with the Dockerfile and the built distribution (default: .).")
        Path context;

        @Override
        public void run() {
            DeployClientsCheck.requireInstalled();
            target.with(
                    spec,
                    deployment -> deployment.up(
                            Optional.ofNullable(image),
                            new ContainerCliPublisher(
                                    image == null ? containerTool(tool) : tool, context.toAbsolutePath(), System.out)));
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Per service desired/running/pending counts and rollout, target health, recent events, the URL.")
    static final class Status implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public void run() {
            DeployClientsCheck.requireInstalled();
            System.out.print(target.with(spec, Deployment::status));
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run one gust command against the deployment (its database, secrets and roles) as an ECS task of its"
                        + " worker task definition, show its log as it runs, and exit with its exit code.",
                "Example: gust deploy run --name prod -- dags backfill my_dag -s 2024-01-01 -e 2024-01-31"
            })
    static final class Run implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Parameters(
                arity = "1..*",
                paramLabel = "ARGUMENT",
                description = "The gust command and its arguments, after -- (standalone, webserver and scheduler are"
                        + " refused: they are the deployment's services).")
        java.util.List<String> arguments;

        @Override
        public Integer call() {
            DeployClientsCheck.requireInstalled();
            return target.with(spec, deployment -> deployment.run(arguments, System.err));
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description =
                    "Delete everything the deployment created (tagged with its name), in reverse order, and wait.")
    static final class Down implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public void run() {
            DeployClientsCheck.requireInstalled();
            target.with(spec, Deployment::down);
        }
    }

    @Command(
            name = "dags",
            mixinStandardHelpOptions = true,
            description = "Upload a DAG folder to the deployment's DAG bundle (sync with delete); the scheduler"
                    + " picks it up within core.dag_dir_list_interval, without a restart.")
    static final class Dags implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "DIR",
                defaultValue = "dags",
                description = "The DAG folder to upload (default: ./dags).")
        Path folder;

        @Override
        public void run() {
            DeployClientsCheck.requireInstalled();
            if (!Files.isDirectory(folder)) {
                throw new UserError("DAG folder " + folder.toAbsolutePath()
                        + " does not exist or is not a folder: give the folder to upload, e.g. gust deploy dags --name "
                        + target.name + " dags/");
            }
            target.with(spec, deployment -> {
                S3Location location = S3Location.parse(deployment.dagBundleUri());
                try {
                    return new DagBundleUpload(deployment.aws().s3(), location, Clock.systemUTC())
                            .upload(folder, System.out);
                } catch (DagBundleUpload.CallFailed e) {
                    throw AwsCalls.translate((SdkException) e.getCause(), e.action(), e.resource());
                }
            });
        }
    }

    /** docker when its engine answers (as scripts/container-test.sh decides), else podman. */
    static String containerTool(String choice) {
        if (!choice.equals("auto")) {
            return choice;
        }
        try {
            Process docker = new ProcessBuilder("docker", "info")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (docker.waitFor(20, TimeUnit.SECONDS) && docker.exitValue() == 0) {
                return "docker";
            }
            docker.destroyForcibly();
        } catch (IOException e) {
            // no docker CLI
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Files.isExecutable(Path.of("/usr/bin/podman")) || Files.isExecutable(Path.of("/usr/local/bin/podman"))) {
            return "podman";
        }
        throw new UserError("neither a docker engine nor podman found: install one, or give --image URI@sha256:...");
    }
}
