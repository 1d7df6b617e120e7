package dev.gust.cli;

import dev.gust.core.config.GustConfig;
import dev.gust.core.runs.TriggerConf;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Database;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.scheduler.engine.SingleRunExecution;
import dev.gust.core.runs.DagRunCreator;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code gust dags} subcommands about runs: trigger, backfill, next-run, list-runs, test. */
final class DagRunCommands {


    private DagRunCommands() {}

    @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Create a manual run of a DAG.")
    static final class Trigger implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(names = {"-c", "--conf"}, paramLabel = "JSON", description = "The run's conf, a JSON object (overrides params).")
        String conf;

        @Option(names = {"-l", "--logical-date"}, paramLabel = "DATE", description = "Logical date (ISO date or date-time; default now).")
        String logicalDate;

        @Option(names = {"-n", "--note"}, paramLabel = "TEXT", description = "A note on the run, shown with it in the UI and the API.")
        String note;

        @Override
        public void run() {
            GustConfig config = GustCommand.of(spec).config();
            try (Database database = MetadataDatabase.open(config, spec.commandLine().getErr())) {
                String runId = creator(config, database).trigger(dagId, checkConf(parseConf(conf), database, dagId),
                        logicalDate == null ? null : parseDate(logicalDate, "--logical-date"), note);
                spec.commandLine().getOut().println("created run " + runId + " of " + dagId);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = "Create the runs of every interval whose logical date is between START and END.")
    static final class Backfill implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(names = {"-s", "--start-date"}, required = true, paramLabel = "START")
        String start;

        @Option(names = {"-e", "--end-date"}, required = true, paramLabel = "END")
        String end;

        @Option(names = {"-c", "--conf"}, paramLabel = "JSON")
        String conf;

        @Override
        public void run() {
            GustConfig config = GustCommand.of(spec).config();
            Instant from = parseDate(start, "--start-date");
            Instant to = parseDate(end, "--end-date");
            if (to.isBefore(from)) {
                throw new UserError("--end-date " + end + " is before --start-date " + start);
            }
            try (Database database = MetadataDatabase.open(config, spec.commandLine().getErr())) {
                List<DagRun> created = creator(config, database).backfill(dagId, from, to, parseConf(conf));
                spec.commandLine().getOut().println("created " + created.size() + " backfill runs of " + dagId
                        + "; a running scheduler runs them (gust dags list-runs " + dagId + " shows them)");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "next-run", mixinStandardHelpOptions = true,
            description = "When the DAG's next scheduled run will be created (the end of its next data interval).")
    static final class NextRun implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Override
        public void run() {
            GustConfig config = GustCommand.of(spec).config();
            try (Database database = MetadataDatabase.open(config, spec.commandLine().getErr())) {
                requireDag(database, dagId);
                spec.commandLine().getOut().println(creator(config, database).nextRunCreationTime(dagId)
                        .map(Instant::toString).orElse("None (the DAG has no further scheduled runs)"));
            }
        }
    }

    @Command(name = "list-runs", mixinStandardHelpOptions = true, description = "List a DAG's runs, newest first.")
    static final class ListRuns implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(names = "--state", description = "Only runs in this state: queued, running, success, failed.")
        String state;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Option(names = {"-o", "--output"}, defaultValue = "table")
        OutputFormat output;

        @Override
        public void run() {
            GustConfig config = GustCommand.of(spec).config();
            DagRunState filter;
            try {
                filter = state == null ? null : DagRunState.fromDbName(state.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("--state " + state + " is not a DAG run state; use queued, running, success or failed", 2);
            }
            try (Database database = MetadataDatabase.open(config, spec.commandLine().getErr())) {
                requireDag(database, dagId);
                Table table = new Table("run_id", "logical_date", "state", "start_date", "end_date");
                for (DagRun run : new DagRunRepository(database.jdbc()).listForDag(dagId, filter, limit)) {
                    table.add(run.runId(), text(run.logicalDate()), run.state().dbName(), text(run.startDate()), text(run.endDate()));
                }
                table.print(spec.commandLine().getOut(), output);
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run one whole DAG run in this process (no scheduler needed; paused DAGs too), then print each task's state.")
    static final class Test implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DATE", description = "Logical date (default now).")
        String date;

        @Option(names = {"-c", "--conf"}, paramLabel = "JSON")
        String conf;

        @Override
        public Integer call() throws InterruptedException {
            GustConfig config = GustCommand.of(spec).config();
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = MetadataDatabase.open(config, spec.commandLine().getErr())) {
                requireDag(database, dagId);
                Instant logicalDate = date == null ? Instant.now() : parseDate(date, "DATE");
                DagRun run;
                try {
                    run = new SingleRunExecution(config, database, Clock.systemUTC()).run(dagId, logicalDate,
                            checkConf(parseConf(conf), database, dagId));
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                List<TaskInstance> tasks = new TaskInstanceRepository(database.jdbc()).listForRun(dagId, run.runId());
                Table table = new Table("task_id", "state", "tries", "duration_s");
                for (TaskInstance ti : tasks) {
                    table.add(ti.taskId(), ti.state().dbName(), String.valueOf(ti.tryNumber()),
                            ti.duration() == null ? "" : String.format(Locale.ROOT, "%.3f", ti.duration()));
                }
                table.print(out, OutputFormat.table);
                TaskLogRepository logs = new TaskLogRepository(database.jdbc());
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

    static DagRunCreator creator(GustConfig config, Database database) {
        return new DagRunCreator(new DagRunRepository(database.jdbc()),
                new DagDefinitions(new DagRepository(database.jdbc())), config.core().catchupByDefault(), Clock.systemUTC());
    }

    static void requireDag(Database database, String dagId) {
        if (new DagRepository(database.jdbc()).find(dagId).isEmpty()) {
            throw new UserError("no DAG '" + dagId + "' in the metadata database; 'gust dags list' shows the DAGs");
        }
    }

    static Map<String, Object> parseConf(String conf) {
        try {
            return TriggerConf.parse(conf, Map.of());
        } catch (TriggerConf.InvalidConfException e) {
            throw new UserError("--conf: " + e.getMessage(), 2);
        }
    }

    /** The conf checked against the DAG's params (a number where the param is a number, a Param's schema, ...). */
    static Map<String, Object> checkConf(Map<String, Object> conf, Database database, String dagId) {
        var loaded = new DagDefinitions(new DagRepository(database.jdbc())).get(dagId);
        try {
            return loaded.isPresent() ? TriggerConf.check(conf, loaded.get().dag()) : TriggerConf.check(conf, Map.of());
        } catch (TriggerConf.InvalidConfException e) {
            throw new UserError("--conf: " + e.getMessage(), 2);
        }
    }

    /** An ISO date (midnight UTC) or date-time (UTC when it names no offset). */
    static Instant parseDate(String text, String what) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException noOffset) {
                return java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new UserError(what + " '" + text + "' is not a date; write 2024-01-31 or 2024-01-31T06:00:00+00:00", 2);
        }
    }

    static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
