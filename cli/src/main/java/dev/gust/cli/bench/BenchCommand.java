package dev.gust.cli.bench;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.chaos.ChaosBenchmark;
import dev.gust.bench.dagloading.DagLoadingBenchmark;
import dev.gust.bench.dbclean.DbCleanBenchmark;
import dev.gust.bench.engine.EngineBenchmark;
import dev.gust.bench.metrics.MetricsRecordingBenchmark;
import dev.gust.bench.scale.ScaleBenchmark;
import dev.gust.bench.startup.StartupBenchmark;
import dev.gust.bench.web.ApiBenchmark;
import dev.gust.bench.web.UiBenchmark;
import dev.gust.cli.GustCommand;
import dev.gust.cli.common.DurationConverter;
import dev.gust.cli.common.OutputFormat;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.MetadataDatabase;
import dev.gust.core.config.GustConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gust bench ...}: benchmarks that print a table. They run on throwaway folders and a
 * throwaway embedded PostgreSQL, never on the configured database. The harnesses live in the
 * bench module; these commands read their options and hand them the CLI's way of opening a
 * database, of printing a table and of starting {@code gust}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its figures.",
        subcommands = {
            BenchCommand.DagLoading.class,
            BenchCommand.Engine.class,
            BenchCommand.Metrics.class,
            BenchCommand.Api.class,
            BenchCommand.Ui.class,
            BenchCommand.Chaos.class,
            BenchCommand.DbClean.class,
            BenchCommand.Scale.class,
            BenchCommand.Startup.class
        })
public final class BenchCommand {

    private BenchCommand() {}

    @Command(
            name = "dag-loading",
            mixinStandardHelpOptions = true,
            description =
                    "Generate DAG files, then time a cold scan, a re-scan with one file changed, and the sync into PostgreSQL.")
    static final class DagLoading implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--files",
                defaultValue = "1000",
                description = "DAG files to generate (default: ${DEFAULT-VALUE}).")
        int files;

        @Option(names = "--tasks", defaultValue = "20", description = "Tasks per DAG (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Override
        public void run() {
            GustCommand.of(spec).config();
            new DagLoadingBenchmark(context(spec), new DagLoadingBenchmark.Settings(files, tasks)).run();
        }
    }

    @Command(
            name = "engine",
            mixinStandardHelpOptions = true,
            description = "Measure task throughput and upstream-to-downstream latency of the scheduler.")
    static final class Engine implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--wide-tasks",
                defaultValue = "2000",
                description = "Independent empty tasks in one run (default: ${DEFAULT-VALUE}).")
        int wideTasks;

        @Option(
                names = "--chain-runs",
                defaultValue = "200",
                description = "Runs of a 10-task chain of empty tasks (default: ${DEFAULT-VALUE}).")
        int chainRuns;

        @Option(
                names = "--bash-tasks",
                defaultValue = "500",
                description = "Independent `bash -c true` tasks in one run (default: ${DEFAULT-VALUE}).")
        int bashTasks;

        @Option(
                names = "--python-tasks",
                defaultValue = "200",
                description =
                        "Independent Python tasks with a trivial callable in one run (default: ${DEFAULT-VALUE}).")
        int pythonTasks;

        @Option(
                names = "--mapped-instances",
                defaultValue = "2000",
                description = "Instances of the mapped task over one upstream's output (default: ${DEFAULT-VALUE};"
                        + " 0 skips the scenario).")
        int mappedInstances;

        @Option(
                names = "--parallelism",
                defaultValue = "64",
                description = "core.parallelism of the scheduler (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--metrics",
                defaultValue = "off",
                description = "Record metrics, to measure their cost against a run without: off (default), ecs"
                        + " (Prometheus and CloudWatch EMF lines, what a deployed scheduler records) or all"
                        + " (also StatsD to 127.0.0.1:8125).")
        String metrics;

        @Option(
                names = "--compare-pgbench",
                negatable = true,
                defaultValue = "true",
                fallbackValue = "true",
                description = "First run pgbench -N (or the same transaction from 8 JDBC connections when no"
                        + " pgbench is installed) against the same PostgreSQL for 15 s, and print the empty"
                        + " scenarios' rates as a ratio of it (default: on; --no-compare-pgbench skips it).")
        boolean comparePgbench;

        @Override
        public void run() {
            GustConfig config = GustCommand.of(spec).config();
            // the throwaway scheduler's environment is not this one: it gets the interpreter by path
            // (and python.fork_server from here, so that GUST_PYTHON__FORK_SERVER=false measures fresh interpreters)
            String python = config.python()
                    .locate(config.taskEnvironment())
                    .map(Path::toString)
                    .orElse(config.python().interpreter());
            if (!List.of("off", "ecs", "all").contains(metrics)) {
                throw new UserError("--metrics is off, ecs or all (got " + metrics + ")", 2);
            }
            new EngineBenchmark(
                            context(spec),
                            new EngineBenchmark.Settings(
                                    wideTasks,
                                    chainRuns,
                                    bashTasks,
                                    parallelism,
                                    pythonTasks,
                                    python,
                                    mappedInstances,
                                    config.pythonForkServer(),
                                    metrics,
                                    comparePgbench))
                    .run();
        }
    }

    @Command(
            name = "api",
            mixinStandardHelpOptions = true,
            description = "Measure GET /api/v1/dags?limit=100 requests per second with wrk on loopback.")
    static final class Api implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--dags",
                defaultValue = "1000",
                description = "DAGs in the database (default: ${DEFAULT-VALUE}).")
        int dags;

        @Option(
                names = "--duration",
                defaultValue = "20",
                description = "Seconds wrk runs (default: ${DEFAULT-VALUE}).")
        int duration;

        @Option(
                names = "--connections",
                defaultValue = "32",
                description = "wrk connections (default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--threads", defaultValue = "2", description = "wrk threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(
                names = "--path",
                defaultValue = "/api/v1/dags?limit=100",
                description = "The request to measure (default: ${DEFAULT-VALUE}).")
        String path;

        @Option(names = "--serve", description = "Do not run wrk: print its command and serve until interrupted.")
        boolean serve;

        @Override
        public void run() {
            GustCommand.of(spec).config();
            new ApiBenchmark(
                            context(spec), new ApiBenchmark.Settings(dags, duration, connections, threads, path, serve))
                    .run();
        }
    }

    @Command(
            name = "ui",
            mixinStandardHelpOptions = true,
            description =
                    "Measure the server time of the DAG list, the grid, the DAG's chart tabs, the Browse pages and the dashboard.")
    static final class Ui implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--dags", defaultValue = "1000", description = "DAGs in the list (default: ${DEFAULT-VALUE}).")
        int dags;

        @Option(
                names = "--runs-per-dag",
                defaultValue = "10",
                description = "Runs of each listed DAG (default: ${DEFAULT-VALUE}).")
        int runsPerDag;

        @Option(
                names = "--grid-runs",
                defaultValue = "100",
                description = "Runs of the grid's DAG (default: ${DEFAULT-VALUE}).")
        int gridRuns;

        @Option(
                names = "--grid-tasks",
                defaultValue = "50",
                description = "Tasks of the grid's DAG (default: ${DEFAULT-VALUE}).")
        int gridTasks;

        @Option(
                names = "--requests",
                defaultValue = "200",
                description = "Measured requests per page, after as many warm-up ones (default: ${DEFAULT-VALUE}).")
        int requests;

        @Option(
                names = "--browse-task-instances",
                defaultValue = "100000",
                description = "Task instances of the listed DAGs' runs, for the Browse pages and the dashboard"
                        + " (default: ${DEFAULT-VALUE}).")
        int browseTaskInstances;

        @Override
        public void run() {
            GustCommand.of(spec).config();
            new UiBenchmark(
                            context(spec),
                            new UiBenchmark.Settings(
                                    dags, runsPerDag, gridRuns, gridTasks, requests, browseTaskInstances))
                    .run();
        }
    }

    @Command(
            name = "chaos",
            mixinStandardHelpOptions = true,
            description = "Run thousands of tasks on several schedulers while SIGKILLing them; report what was lost.")
    static final class Chaos implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--duration",
                defaultValue = "5m",
                converter = DurationConverter.class,
                description =
                        "How long to keep killing schedulers (default: ${DEFAULT-VALUE}); the workload then finishes undisturbed.")
        Duration chaosFor;

        @Option(
                names = "--tasks",
                defaultValue = "5000",
                description = "Task instances in the workload, in runs of " + ChaosBenchmark.TASKS_PER_RUN
                        + " (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(
                names = "--kill-interval",
                defaultValue = "5s",
                converter = DurationConverter.class,
                description = "Time between two kills (default: ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(
                names = "--schedulers",
                defaultValue = "2",
                description = "Schedulers running at once (default: ${DEFAULT-VALUE}).")
        int schedulers;

        @Option(
                names = "--parallelism",
                defaultValue = "8",
                description = "core.parallelism of each scheduler (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--zombie-threshold",
                defaultValue = "10s",
                converter = DurationConverter.class,
                description = "scheduler.zombie_threshold of the schedulers (default: ${DEFAULT-VALUE}).")
        Duration zombies;

        @Option(names = "--seed", description = "Random seed for the choice of victims (default: random).")
        Long seed;

        @Override
        public void run() {
            GustCommand.of(spec).config();
            if (schedulers < 1 || tasks < ChaosBenchmark.TASKS_PER_RUN || parallelism < 1) {
                throw new UserError("--schedulers and --parallelism must be at least 1 and --tasks at least "
                        + ChaosBenchmark.TASKS_PER_RUN);
            }
            new ChaosBenchmark(
                            context(spec),
                            new ChaosBenchmark.Settings(
                                    chaosFor, tasks, interval, schedulers, parallelism, zombies, seed))
                    .run();
        }
    }

    @Command(
            name = "db-clean",
            mixinStandardHelpOptions = true,
            description = "Time 'gust db clean' on a generated history while a writer does what a scheduler does.")
    static final class DbClean implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--task-instances",
                defaultValue = "1000000",
                description = "Task instances to generate (default: ${DEFAULT-VALUE}); 80% are older than the cut-off.")
        int taskInstances;

        @Option(
                names = "--batch-size",
                defaultValue = "10000",
                description = "Rows per transaction (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--skip-archive", description = "Delete without archiving.")
        boolean skipArchive;

        @Override
        public void run() {
            if (taskInstances < 1000 || batchSize < 1) {
                throw new UserError("--task-instances must be 1000 or more and --batch-size 1 or more", 2);
            }
            GustCommand.of(spec).config();
            new DbCleanBenchmark(context(spec), new DbCleanBenchmark.Settings(taskInstances, batchSize, skipArchive))
                    .run();
        }
    }

    @Command(
            name = "scale",
            mixinStandardHelpOptions = true,
            description = "Time DAG loading, the scheduling round and the web server at many DAGs and a long history.")
    static final class Scale implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--dags",
                defaultValue = "10000",
                description = "DAG files (one DAG each) at the largest size; the round is also timed at a tenth"
                        + " and half of it (default: ${DEFAULT-VALUE}).")
        int dags;

        @Option(names = "--tasks", defaultValue = "10", description = "Tasks per DAG (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(
                names = "--running-runs",
                defaultValue = "1000",
                description = "Running runs at every size (default: ${DEFAULT-VALUE}).")
        int runningRuns;

        @Option(
                names = "--history-task-instances",
                defaultValue = "1000000",
                description = "Finished task instances inserted before the web server is timed; the issue's figure"
                        + " is 10000000 (default: ${DEFAULT-VALUE}).")
        long historyTaskInstances;

        @Option(
                names = "--rounds",
                defaultValue = "100",
                description =
                        "Timed scheduling rounds per size, after as many warm-up ones (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(
                names = "--requests",
                defaultValue = "100",
                description = "Timed requests per page, after as many warm-up ones (default: ${DEFAULT-VALUE}).")
        int requests;

        @Override
        public void run() {
            if (dags < 100 || tasks < 3 || runningRuns < 1 || rounds < 1 || requests < 1) {
                throw new UserError(
                        "--dags must be 100 or more, --tasks 3 or more, and --running-runs, --rounds and --requests"
                                + " 1 or more",
                        2);
            }
            GustCommand.of(spec).config();
            new ScaleBenchmark(
                            context(spec),
                            new ScaleBenchmark.Settings(
                                    dags, tasks, runningRuns, historyTaskInstances, rounds, requests))
                    .run();
        }
    }

    /**
     * What the harnesses get from the CLI: its output, its way of opening (and migrating) a
     * metadata database, its table printer, and this JVM on its own class path to start
     * {@code gust} processes with (so that SIGKILL hits the JVM, not a launcher script).
     */
    @Command(
            name = "metrics",
            mixinStandardHelpOptions = true,
            description =
                    "Measure the CPU time recording a task's metrics costs: off, ecs and all, as in bench engine.")
    static final class Metrics implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--tasks",
                defaultValue = "1000000",
                description = "Tasks recorded per round (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(
                names = "--rounds",
                defaultValue = "6",
                description = "Rounds per variant, the first one not counted (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public void run() {
            GustCommand.of(spec).config();
            new MetricsRecordingBenchmark(context(spec), new MetricsRecordingBenchmark.Settings(tasks, rounds)).run();
        }
    }

    private static BenchContext context(CommandSpec spec) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> gust = List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                GustCommand.class.getName());
        return new BenchContext(
                spec.commandLine().getOut(),
                config -> MetadataDatabase.open(config, spec.commandLine().getErr()),
                figures -> print(figures, spec),
                gust);
    }

    private static void print(Figures figures, CommandSpec spec) {
        Table table = new Table(figures.columns().toArray(String[]::new));
        figures.rows().forEach(table::add);
        table.print(spec.commandLine().getOut(), OutputFormat.table);
    }

    @Command(
            name = "startup",
            mixinStandardHelpOptions = true,
            description = "Time the scheduler, the web server, 'gust --version' and 'gust dags list' from start to"
                    + " ready, with the start-up cache and without.")
    static final class Startup implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--runs",
                defaultValue = "5",
                description = "Runs of each process, with and without the cache (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(
                names = "--distribution",
                paramLabel = "DIR",
                description = "The distribution to start (default: the one this gust runs from); another build's,"
                        + " to compare before and after.")
        Path distribution;

        @Override
        public void run() {
            if (runs < 1) {
                throw new UserError("--runs must be 1 or more", 2);
            }
            GustCommand.of(spec).config();
            Path launcher = distribution == null
                    ? distributionLauncher()
                    : distribution.toAbsolutePath().resolve("bin").resolve("gust");
            new StartupBenchmark(
                            context(spec),
                            new StartupBenchmark.Settings(runs, launcher, Path.of(System.getProperty("java.home"))))
                    .run();
        }

        /** bin/gust of the distribution this command runs from (its jar sits in lib/ beside bin/). */
        private static Path distributionLauncher() {
            // the class path as this JVM was started with it: a class served by the start-up cache
            // names, as its code source, the jar it was trained from, which a moved distribution
            // no longer has
            for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                Path jar = Path.of(entry);
                if (jar.getFileName() != null
                        && jar.getFileName().toString().equals("gust-cli.jar")
                        && Files.isRegularFile(jar)) {
                    return jar.toAbsolutePath()
                            .getParent()
                            .resolveSibling("bin")
                            .resolve("gust");
                }
            }
            try {
                Path jar = Path.of(GustCommand.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                return jar.getParent().resolveSibling("bin").resolve("gust");
            } catch (java.net.URISyntaxException | RuntimeException e) {
                throw new UserError("cannot find the distribution this gust runs from: " + e.getMessage());
            }
        }
    }
}
