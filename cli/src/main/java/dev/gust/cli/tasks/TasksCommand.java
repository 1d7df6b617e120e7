package dev.gust.cli.tasks;

import dev.gust.cli.common.ConfArgument;
import dev.gust.cli.common.DateArgument;
import dev.gust.cli.common.OutputFormat;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.DagSource;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.XComRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gust tasks ...}: task instances of DAG runs: their states, logs, XComs, and clearing them. */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = "Test a task; inspect and clear task instances.",
        subcommands = {
            TasksCommand.StatesForDagRun.class,
            TasksCommand.Log.class,
            TasksCommand.XCom.class,
            TasksCommand.Clear.class,
            TasksCommand.Test.class,
            TasksCommand.Run.class
        })
public final class TasksCommand {

    /** A command that prints a table about one DAG run, once it has checked that the run exists. */
    abstract static class RunTableCommand implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;

        @Option(
                names = {"-o", "--output"},
                defaultValue = "table")
        OutputFormat output;

        /** The rows about the run, read through the open {@code cli}. */
        abstract Table table(CliContext cli);

        @Override
        public void run() {
            try (CliContext cli = metadata.open()) {
                cli.requireRun(dagId, runId);
                table(cli).print(metadata.out(), output);
            }
        }
    }

    @Command(
            name = "states-for-dag-run",
            mixinStandardHelpOptions = true,
            description = "The state of every task instance of a DAG run.")
    static final class StatesForDagRun extends RunTableCommand {
        @Override
        Table table(CliContext cli) {
            Table table =
                    new Table("task_id", "map_index", "state", "try_number", "start_date", "end_date", "hostname");
            for (TaskInstance ti : cli.stores().taskInstances().listForRun(dagId, runId)) {
                table.add(
                        ti.taskId(),
                        String.valueOf(ti.key().mapIndex()),
                        ti.state().dbName(),
                        String.valueOf(ti.tryNumber()),
                        Table.cell(ti.startDate()),
                        Table.cell(ti.endDate()),
                        ti.hostname());
            }
            return table;
        }
    }

    /** The DAG_ID TASK_ID RUN_ID arguments that name one task instance. */
    // picocli takes a class as a mixin only when it carries one of its annotations; an empty @Command adds nothing to
    // help
    @Command
    static final class TaskInstanceArguments {
        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Parameters(index = "1", paramLabel = "TASK_ID")
        String taskId;

        @Parameters(index = "2", paramLabel = "RUN_ID")
        String runId;

        @Option(
                names = "--map-index",
                defaultValue = "-1",
                paramLabel = "N",
                description = "The instance of a mapped task (0..n-1); -1, the default, for a task that is not mapped.")
        int mapIndex;

        TaskInstanceKey key() {
            return new TaskInstanceKey(dagId, runId, taskId, mapIndex);
        }
    }

    @Command(
            name = "log",
            mixinStandardHelpOptions = true,
            description = "Print a task instance's log (the latest try by default).")
    static final class Log implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        TaskInstanceArguments taskInstance;

        @Option(names = "--try", description = "Try number (default: the latest).")
        Integer tryNumber;

        @Override
        public void run() {
            try (CliContext cli = metadata.open()) {
                TaskInstanceKey key = taskInstance.key();
                TaskInstance ti = cli.stores()
                        .taskInstances()
                        .find(key)
                        .orElseThrow(() -> new UserError("no task instance " + key + "; 'gust tasks states-for-dag-run "
                                + taskInstance.dagId + " " + taskInstance.runId + "' lists them"));
                cli.stores()
                        .taskLogs()
                        .writeTo(
                                key,
                                tryNumber != null ? tryNumber : Math.max(1, ti.tryNumber()),
                                metadata.out()::print);
                metadata.out().flush();
            }
        }
    }

    @Command(name = "xcom", mixinStandardHelpOptions = true, description = "The XCom values of a DAG run.")
    static final class XCom extends RunTableCommand {
        @Override
        Table table(CliContext cli) {
            Table table = new Table("task_id", "map_index", "key", "value");
            for (XComRepository.Entry entry : cli.stores().xcoms().listForRun(dagId, runId)) {
                table.add(entry.taskId(), String.valueOf(entry.mapIndex()), entry.key(), entry.valueJson());
            }
            return table;
        }
    }

    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = "Clear task instances so that the scheduler runs them again.")
    static final class Clear implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(
                names = {"-t", "--task-regex"},
                paramLabel = "REGEX",
                description = "Only tasks whose id matches (default: all).")
        String taskRegex;

        @Option(
                names = {"-d", "--downstream"},
                description = "Also clear the downstream tasks of the matches.")
        boolean downstream;

        @Option(
                names = {"-s", "--start-date"},
                paramLabel = "START",
                description = "Runs with logical date at or after this.")
        String start;

        @Option(
                names = {"-e", "--end-date"},
                paramLabel = "END",
                description = "Runs with logical date at or before this.")
        String end;

        @Option(
                names = {"-f", "--only-failed"},
                description = "Only failed and upstream_failed task instances.")
        boolean onlyFailed;

        @Option(
                names = "--map-index",
                paramLabel = "N",
                description = "Only this instance of mapped tasks (0..n-1); repeat for several. Default: all.")
        List<Integer> mapIndexes;

        @Override
        public void run() {
            metadata.config();
            Pattern pattern;
            try {
                pattern = taskRegex == null ? null : Pattern.compile(taskRegex);
            } catch (PatternSyntaxException e) {
                throw new UserError("--task-regex is not a valid regular expression: " + e.getDescription(), 2);
            }
            Instant from = start == null ? Instant.MIN : DateArgument.parse(start, "--start-date");
            Instant to = end == null ? Instant.MAX : DateArgument.parse(end, "--end-date");
            try (CliContext cli = metadata.open()) {
                cli.requireDag(dagId);
                Dag dag = cli.dagDefinitions().get(dagId).orElseThrow().dag();
                TaskInstanceClearing clearing = new TaskInstanceClearing(
                        cli.stores().dagRuns(), cli.stores().taskInstances());
                TaskInstanceClearing.Result result = clearing.clear(
                        dag,
                        new TaskInstanceClearing.Request(
                                dagId,
                                null,
                                new TaskSelection(pattern, null, false, downstream),
                                onlyFailed,
                                from,
                                to,
                                false,
                                mapIndexes == null ? null : java.util.Set.copyOf(mapIndexes)));
                metadata.out()
                        .println("cleared " + result.taskInstances().size() + " task instances in "
                                + result.runsTouched() + " runs of " + dagId + "; the scheduler runs them again");
            }
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Run one task in this process, ignoring dependencies, and print its log; records nothing.",
                "The DAG is parsed from its file in the DAG folder now, so the task is the one in the file as it is; "
                        + "exit 1 when the file does not load."
            })
    static final class Test implements java.util.concurrent.Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        DagSource source;

        @Parameters(index = "0", paramLabel = "DAG_ID")
        String dagId;

        @Parameters(index = "1", paramLabel = "TASK_ID")
        String taskId;

        @Parameters(index = "2", arity = "0..1", paramLabel = "DATE", description = "Logical date (default now).")
        String date;

        @Option(
                names = {"-c", "--conf"},
                paramLabel = "JSON")
        String conf;

        @Option(
                names = "--map-index",
                defaultValue = "-1",
                paramLabel = "N",
                description = "The instance of a mapped task to run (0..n-1).")
        int mapIndex;

        @Override
        public Integer call() {
            metadata.config();
            Instant logicalDate = date == null ? Instant.now() : DateArgument.parse(date, "DATE");
            Map<String, Object> taskConf = ConfArgument.parse(conf);
            // parsed before the database is opened: a broken file is said without waiting for PostgreSQL
            Dag parsed = source.useStored() ? null : source.parse(metadata.config(), dagId, metadata.err());
            try (CliContext cli = metadata.openPooled()) {
                var outcome = dev.gust.scheduler.executor.TaskTest.run(
                        cli.config(),
                        cli.database(),
                        parsed != null ? parsed : DagSource.stored(cli, dagId),
                        taskId,
                        mapIndex,
                        logicalDate,
                        taskConf,
                        metadata.out());
                return outcome instanceof dev.gust.scheduler.operators.OperatorOutcome.Success
                                || outcome instanceof dev.gust.scheduler.operators.OperatorOutcome.FollowBranches
                        ? 0
                        : 1;
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description =
                    "Run one try of a task instance in this process and record it (what an ECS worker task runs).")
    static final class Run implements java.util.concurrent.Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        TaskInstanceArguments taskInstance;

        @Option(names = "--try", required = true, paramLabel = "N", description = "The try this worker runs.")
        int tryNumber;

        @Override
        public Integer call() {
            if (tryNumber < 1) {
                throw new UserError("--try must be 1 or more", 2);
            }
            try (CliContext cli = metadata.openPooled();
                    MetricsExport export = MetricsExport.start(cli.config().metrics())) {
                // a worker's ti.start/ti.finish reach CloudWatch through EMF, flushed as the export closes
                var worker =
                        new dev.gust.scheduler.executor.WorkerTaskRun(dev.gust.scheduler.executor.WorkerContext.create(
                                cli.config(), cli.database(), export.metrics()));
                // ECS stops a task with SIGTERM: the try goes back for retry instead of failing
                for (String name : List.of("TERM", "INT")) {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> worker.stop());
                }
                var result = worker.run(taskInstance.key(), tryNumber);
                metadata.out()
                        .println(taskInstance.dagId + "." + taskInstance.taskId + " " + taskInstance.runId + " try "
                                + tryNumber + ": " + result.describe());
                metadata.out().flush();
                return result.exitCode();
            }
        }
    }
}
