package dev.gust.cli.admin;

import dev.gust.cli.common.DurationConverter;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.jobs.JobRepository;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gust jobs ...}: the job rows that scheduler processes register and heartbeat. {@code check}
 * answers, as Airflow's {@code jobs check}, whether one is alive: a container health check or a
 * script can run it and trust the exit code.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Inspect the jobs (scheduler processes) in the database.",
        subcommands = {JobsCommand.Check.class})
public final class JobsCommand {

    private JobsCommand() {}

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Exit 0 if a running job of the type heartbeat within the threshold, else exit 1.")
    static final class Check implements Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Option(
                names = "--job-type",
                paramLabel = "TYPE",
                defaultValue = JobRepository.SCHEDULER,
                description = "The type of job to look for (default: ${DEFAULT-VALUE}).")
        String jobType;

        @Option(names = "--hostname", paramLabel = "HOST", description = "Only jobs running on this host.")
        String hostname;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "1",
                description = "How many of the latest running jobs to look at; 0 for all (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--allow-multiple",
                description = "Succeed when more than one job is alive (otherwise that is a failure).")
        boolean allowMultiple;

        @Option(
                names = "--threshold",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description =
                        "How fresh a heartbeat must be, such as 30s or 2m (default: scheduler.health_check_threshold).")
        Duration threshold;

        @Override
        public Integer call() {
            if (limit < 0) {
                throw new UserError("--limit must be 0 (all jobs) or more; got " + limit);
            }
            GustConfig config = metadata.config();
            Duration freshness =
                    threshold != null ? threshold : config.scheduler().healthCheckThreshold();
            List<Long> alive;
            try (CliContext cli = metadata.open()) {
                alive = cli.stores().jobs().aliveAmongLatest(jobType, hostname, limit, freshness);
            }
            if (alive.isEmpty()) {
                metadata.err().println("No alive jobs found.");
                return 1;
            }
            if (alive.size() > 1 && !allowMultiple) {
                metadata.err().println("Found " + alive.size() + " alive jobs. Expected only one.");
                return 1;
            }
            metadata.out()
                    .println(alive.size() == 1 ? "Found one alive job." : "Found " + alive.size() + " alive jobs.");
            return 0;
        }
    }
}
