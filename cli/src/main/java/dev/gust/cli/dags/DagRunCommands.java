package dev.gust.cli.dags;

import dev.gust.cli.common.ConfArgument;
import dev.gust.cli.common.DateArgument;
import dev.gust.cli.common.OutputFormat;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.DagSource;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.scheduler.engine.SingleRunExecution;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code gust dags} subcommands about runs: trigger, backfill, next-run, list-runs, test. */
public final class DagRunCommands {

    private DagRunCommands() {}

    @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Create a manual run of a DAG.")
    static final class Trigger implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(
                names = {"-c", "--conf"},
                paramLabel = "JSON",
                description = "The run's conf, a JSON object (overrides params).")
        String conf;

        @Option(
                names = {"-l", "--logical-date"},
                paramLabel = "DATE",
                description = "Logical date (ISO date or date-time; default now).")
        String logicalDate;

        @Option(
                names = {"-n", "--note"},
                paramLabel = "TEXT",
                description = "A note on the run, shown with it in the UI and the API.")
        String note;

        @Override
        public void run() {
            try (CliContext cli = metadata.open()) {
                String runId = cli.dagRunCreator()
                        .trigger(
                                dagId,
                                checkConf(ConfArgument.parse(conf), cli, dagId),
                                logicalDate == null ? null : DateArgument.parse(logicalDate, "--logical-date"),
                                note);
                metadata.out().println("created run " + runId + " of " + dagId);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(
            name = "backfill",
            mixinStandardHelpOptions = true,
            description = "Create the runs of every interval whose logical date is between START and END.")
    static final class Backfill implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(
                names = {"-s", "--start-date"},
                required = true,
                paramLabel = "START")
        String start;

        @Option(
                names = {"-e", "--end-date"},
                required = true,
                paramLabel = "END")
        String end;

        @Option(
                names = {"-c", "--conf"},
                paramLabel = "JSON")
        String conf;

        @Override
        public void run() {
            metadata.config();
            Instant from = DateArgument.parse(start, "--start-date");
            Instant to = DateArgument.parse(end, "--end-date");
            if (to.isBefore(from)) {
                throw new UserError("--end-date " + end + " is before --start-date " + start);
            }
            try (CliContext cli = metadata.open()) {
                List<DagRun> created = cli.dagRunCreator().backfill(dagId, from, to, ConfArgument.parse(conf));
                metadata.out()
                        .println("created " + created.size() + " backfill runs of " + dagId
                                + "; a running scheduler runs them (gust dags list-runs " + dagId + " shows them)");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(
            name = "next-run",
            mixinStandardHelpOptions = true,
            description = "When the DAG's next scheduled run will be created (the end of its next data interval).")
    static final class NextRun implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Override
        public void run() {
            try (CliContext cli = metadata.open()) {
                cli.requireDag(dagId);
                metadata.out()
                        .println(cli.dagRunCreator()
                                .nextRunCreationTime(dagId)
                                .map(Instant::toString)
                                .orElse("None (the DAG has no further scheduled runs)"));
            }
        }
    }

    @Command(name = "list-runs", mixinStandardHelpOptions = true, description = "List a DAG's runs, newest first.")
    static final class ListRuns implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(names = "--state", description = "Only runs in this state: queued, running, success, failed.")
        String state;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Option(
                names = {"-o", "--output"},
                defaultValue = "table")
        OutputFormat output;

        @Override
        public void run() {
            metadata.config();
            DagRunState filter;
            try {
                filter = state == null ? null : DagRunState.fromDbName(state.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError(
                        "--state " + state + " is not a DAG run state; use queued, running, success or failed", 2);
            }
            try (CliContext cli = metadata.open()) {
                cli.requireDag(dagId);
                Table table = new Table("run_id", "logical_date", "state", "start_date", "end_date");
                for (DagRun run : cli.stores().dagRuns().listForDag(dagId, filter, limit)) {
                    table.add(
                            run.runId(),
                            Table.cell(run.logicalDate()),
                            run.state().dbName(),
                            Table.cell(run.startDate()),
                            Table.cell(run.endDate()));
                }
                table.print(metadata.out(), output);
            }
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Run one whole DAG run in this process (no scheduler needed; paused DAGs too), then print each task's "
                        + "state.",
                "The DAG is parsed from its file in the DAG folder now and stored, as a sync would store it (a new DAG "
                        + "paused), so the run is of the file as it is; exit 1 when the file does not load."
            })
    static final class Test implements java.util.concurrent.Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        DagSource source;

        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DATE", description = "Logical date (default now).")
        String date;

        @Option(
                names = {"-c", "--conf"},
                paramLabel = "JSON")
        String conf;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = metadata.out();
            Instant logicalDate = date == null ? Instant.now() : DateArgument.parse(date, "DATE");
            Map<String, Object> runConf = ConfArgument.parse(conf);
            // parsed before the database is opened: a broken file is said without waiting for PostgreSQL
            Dag parsed = source.useStored() ? null : source.parse(metadata.config(), dagId, metadata.err());
            try (CliContext cli = metadata.openPooled()) {
                Dag dag;
                if (parsed == null) {
                    dag = DagSource.stored(cli, dagId);
                } else {
                    // the run and its task instances refer to the DAG's row, and the scheduling loop reads the
                    // definition from it: the file as it is now is stored first, as Airflow 3's dags test does
                    try (DagFolderSync sync = cli.dagFolderSync()) {
                        sync.store(parsed);
                    }
                    dag = parsed;
                }
                DagRun run;
                try {
                    run = new SingleRunExecution(cli.config(), cli.database(), Clock.systemUTC())
                            .run(dagId, logicalDate, ConfArgument.check(runConf, dag));
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                List<TaskInstance> tasks = cli.stores().taskInstances().listForRun(dagId, run.runId());
                Table table = new Table("task_id", "state", "tries", "duration_s");
                for (TaskInstance ti : tasks) {
                    table.add(
                            ti.taskId(),
                            ti.state().dbName(),
                            String.valueOf(ti.tryNumber()),
                            ti.duration() == null ? "" : String.format(Locale.ROOT, "%.3f", ti.duration()));
                }
                table.print(out, OutputFormat.table);
                TaskLogRepository logs = cli.stores().taskLogs();
                for (TaskInstance ti : tasks) {
                    if (ti.state() == TaskState.FAILED) {
                        out.println();
                        out.println("--- log of failed task " + ti.taskId() + " (try " + ti.tryNumber() + ") ---");
                        logs.writeTo(ti.key(), ti.tryNumber(), out::print);
                    }
                }
                out.println();
                out.println("run " + run.runId() + ": " + run.state().dbName());
                out.flush();
                return run.state() == DagRunState.SUCCESS ? 0 : 1;
            }
        }
    }

    /** The conf checked against the params of the DAG, when the database knows it. */
    private static Map<String, Object> checkConf(Map<String, Object> conf, CliContext cli, String dagId) {
        return ConfArgument.check(
                conf,
                cli.dagDefinitions().get(dagId).map(loaded -> loaded.dag()).orElse(null));
    }
}
