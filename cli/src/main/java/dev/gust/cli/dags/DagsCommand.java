package dev.gust.cli.dags;

import dev.gust.cli.common.ImportErrorReport;
import dev.gust.cli.common.OutputFormat;
import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.LocalDagFolder;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScan;
import dev.gust.core.dag.load.ImportError;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagSerializer;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.dag.warnings.DagWarning;
import dev.gust.core.dag.warnings.DagWarnings;
import dev.gust.core.dag.warnings.PythonInterpreterCheck;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dags.StoredDag;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gust dags ...}: DAGs as the metadata database knows them. Listing reads the database,
 * not the files, so it shows what the schedulers and the webserver see, unless {@code --local}
 * asks for the DAG folder as parsed now (no database: a DAG repository's CI); {@code reserialize}
 * reads the DAG folder and writes the result.
 */
@Command(
        name = "dags",
        mixinStandardHelpOptions = true,
        description = "List, inspect and load DAGs.",
        subcommands = {
            DagsCommand.ListDags.class,
            DagsCommand.ListImportErrors.class,
            DagsCommand.Show.class,
            DagsCommand.Reserialize.class,
            DagRunCommands.Trigger.class,
            DagRunCommands.Backfill.class,
            DagRunCommands.NextRun.class,
            DagRunCommands.ListRuns.class,
            DagRunCommands.Test.class,
            DagsPauseCommands.Pause.class,
            DagsPauseCommands.Unpause.class
        })
public final class DagsCommand {

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "List the active DAGs: id, schedule, paused, file, tags.",
                "With --local, parse the DAG folder in this process instead (no database is used) and exit 1 if any "
                        + "file does not load, its errors on stderr: what a DAG repository's CI runs."
            })
    static final class ListDags implements Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Option(names = "--include-inactive", description = "Also list DAGs whose file no longer defines them.")
        boolean includeInactive;

        @Option(
                names = "--local",
                description = "Parse the DAG folder now instead of reading the metadata database; exit 1 on any "
                        + "import error.")
        boolean local;

        @Override
        public Integer call() {
            if (local) {
                return listLocal();
            }
            try (CliContext cli = metadata.open()) {
                GustConfig config = cli.config();
                DagRepository dags = cli.stores().dags();
                List<StoredDag> rows = includeInactive ? dags.list() : dags.listActive();
                Table table = includeInactive
                        ? new Table("dag_id", "schedule", "paused", "fileloc", "tags", "active")
                        : new Table("dag_id", "schedule", "paused", "fileloc", "tags");
                for (StoredDag dag : rows) {
                    String schedule = dag.scheduleExpression() == null ? "None" : dag.scheduleExpression();
                    List<String> row = new ArrayList<>(List.of(
                            dag.dagId(),
                            schedule,
                            String.valueOf(dag.paused()),
                            dag.fileloc(),
                            String.join(",", dag.tags())));
                    if (includeInactive) {
                        row.add(String.valueOf(dag.active()));
                    }
                    table.add(row);
                }
                table.printOrHint(
                        metadata.out(),
                        metadata.err(),
                        output.format(),
                        "no DAGs in the metadata database; 'gust dags reserialize' loads "
                                + config.core().dagsFolder()
                                + " (gust standalone and gust scheduler do it continuously)");
                return 0;
            }
        }

        /** The DAGs of the folder as parsed now; paused is a database state, so it is not a column. */
        private int listLocal() {
            if (includeInactive) {
                throw new UserError(
                        "--include-inactive lists DAGs the metadata database remembers; it cannot go with --local", 2);
            }
            GustConfig config = metadata.config();
            DagFolderScan scan = LocalDagFolder.scan(config);
            Table table = new Table("dag_id", "schedule", "fileloc", "tags");
            scan.dags().values().stream()
                    .sorted(Comparator.comparing(Dag::dagId))
                    .forEach(dag -> table.add(
                            dag.dagId(),
                            Objects.requireNonNullElse(DagFolderSync.scheduleExpression(dag.schedule()), "None"),
                            dag.fileloc(),
                            String.join(",", dag.tags())));
            table.printOrHint(
                    metadata.out(),
                    metadata.err(),
                    output.format(),
                    "no DAGs in " + config.core().dagsFolder());
            List<ImportError> errors = LocalDagFolder.errors(scan);
            if (errors.isEmpty()) {
                return 0;
            }
            ImportErrorReport.print(metadata.err(), errors);
            return 1;
        }
    }

    @Command(
            name = "list-import-errors",
            mixinStandardHelpOptions = true,
            description = {
                "List the DAG files that failed to load, with line and message; exit 1 if any.",
                "A table wraps long messages to the terminal's width (COLUMNS); -o json holds them whole.",
                "With --warnings, the DAG warnings of the DAGs that load follow (e.g. a bash command that puts params "
                        + "or conf into the shell unquoted); warnings do not change the exit code. "
                        + "With -o json, stdout holds only the import errors and the warnings go to stderr."
            })
    static final class ListImportErrors implements Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Option(
                names = "--local",
                description = "Parse the DAG folder now instead of reading the metadata database (no database is "
                        + "used); what a DAG repository's CI runs.")
        boolean local;

        @Option(names = "--warnings", description = "Also list the DAG warnings.")
        boolean warnings;

        @Override
        public Integer call() {
            List<ImportError> errors;
            List<DagWarning> found;
            if (local) {
                DagFolderScan scan = LocalDagFolder.scan(metadata.config());
                errors = LocalDagFolder.errors(scan);
                PythonInterpreterCheck python = PythonInterpreterCheck.of(metadata.config());
                found = scan.dags().values().stream()
                        .sorted(Comparator.comparing(Dag::dagId))
                        .flatMap(dag -> DagWarnings.of(dag, python).stream())
                        .toList();
            } else {
                try (CliContext cli = metadata.open()) {
                    errors = ImportErrorReport.fromStored(
                            cli.stores().importErrors().list());
                    found = cli.stores().dagWarnings().list().stream()
                            .map(w -> new DagWarning(w.dagId(), w.warningType(), w.message()))
                            .toList();
                }
            }
            Table table = new Table("filepath", "line", "error");
            errors.forEach(e -> table.add(e.file(), e.line() > 0 ? String.valueOf(e.line()) : "", e.message()));
            if (errors.isEmpty() && output.format() == OutputFormat.table) {
                metadata.out().println("no import errors");
                metadata.out().flush();
            } else {
                table.print(metadata.out(), output.format());
            }
            if (warnings) {
                printWarnings(found);
            } else if (!found.isEmpty()) {
                metadata.err()
                        .println(found.size() + (found.size() == 1 ? " DAG warning" : " DAG warnings")
                                + " (the DAGs load and run); --warnings lists them");
                metadata.err().flush();
            }
            // Non-zero when a file is broken, so that CI pipelines of DAG repositories can gate on it;
            // warnings do not count (as in Airflow): the DAG loads and runs
            return errors.isEmpty() ? 0 : 1;
        }

        private void printWarnings(List<DagWarning> found) {
            if (found.isEmpty()) {
                return;
            }
            // a JSON reader of stdout must still get one document: the warnings go to stderr then
            PrintWriter out = output.format() == OutputFormat.json ? metadata.err() : metadata.out();
            out.println();
            out.println("DAG warnings (" + found.size()
                    + "; the DAGs load and run, warnings do not change the exit code):");
            // whole lines, not a table: the message says where and what to write, a cut one would not
            found.forEach(w -> out.println(w.dagId() + " [" + w.warningType() + "]: " + w.message()));
            out.flush();
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Show a DAG's tasks, their task groups and dependencies as text (or Graphviz DOT, groups as clusters).")
    static final class Show implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Option(names = "--dot", description = "Print Graphviz DOT instead of text.")
        boolean dot;

        @Override
        public void run() {
            try (CliContext cli = metadata.open()) {
                DagRepository dags = cli.stores().dags();
                String json = dags.serializedDag(dagId)
                        .orElseThrow(() -> new UserError(
                                "no DAG '" + dagId + "' in the metadata database; 'gust dags list' shows the DAGs"));
                Dag dag = new DagSerializer().fromJson(json);
                StoredDag stored = dags.find(dagId).orElseThrow();
                PrintWriter out = metadata.out();
                if (dot) {
                    out.print(DagDot.of(dag));
                    out.flush();
                } else {
                    printText(out, dag, stored);
                }
            }
        }

        /** A column for the task's innermost group only when the DAG has groups, so plain DAGs print as before. */
        static void printText(PrintWriter out, Dag dag, StoredDag stored) {
            out.println("DAG " + dag.dagId() + (dag.description() == null ? "" : ": " + dag.description()));
            out.println("  schedule: " + (stored.scheduleExpression() == null ? "None" : stored.scheduleExpression())
                    + " (" + stored.timetableDescription() + ")");
            out.println("  file:     " + dag.fileloc()
                    + (stored.active() ? "" : " (inactive: no longer in the DAG folder)"));
            out.println("  paused:   " + stored.paused());
            out.println("  tasks:    " + dag.tasks().size());
            boolean grouped = !dag.taskGroups().isEmpty();
            if (grouped) {
                out.println("  groups:   " + dag.taskGroups().size());
            }
            out.println();
            List<String> columns = new ArrayList<>(
                    List.of("task_id", "operator", "upstream", "downstream", "trigger_rule", "retries"));
            if (grouped) {
                columns.add(1, "task_group");
            }
            Table table = new Table(columns.toArray(String[]::new));
            for (TaskSpec task : dag.tasks()) {
                List<String> row = new ArrayList<>(List.of(
                        task.taskId(),
                        task.operator(),
                        String.join(", ", task.upstream()),
                        String.join(", ", dag.downstream(task.taskId())),
                        task.triggerRule().fileName(),
                        String.valueOf(task.retries())));
                if (grouped) {
                    row.add(1, task.taskGroupId() == null ? "" : task.taskGroupId());
                }
                table.add(row);
            }
            table.print(out, OutputFormat.table);
        }
    }

    @Command(
            name = "reserialize",
            mixinStandardHelpOptions = true,
            description = {
                "Parse the DAG folder now and store the DAGs and import errors in the metadata database.",
                "Exit 1 when any file did not load, its errors on stderr."
            })
    static final class Reserialize implements Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Override
        public Integer call() {
            try (CliContext cli = metadata.open();
                    DagFolderSync sync = cli.dagFolderSync()) {
                GustConfig config = cli.config();
                long started = System.nanoTime();
                DagFolderSync.SyncOutcome outcome = sync.sync();
                long millis = (System.nanoTime() - started) / 1_000_000;
                metadata.out()
                        .printf(
                                "%s: %d DAGs (%d tasks), %d written, %d deactivated, %d import errors in %d files (%d ms)%n",
                                config.core().dagsFolder(),
                                outcome.dags(),
                                outcome.tasks(),
                                outcome.dagsWritten(),
                                outcome.dagsDeactivated(),
                                outcome.importErrors(),
                                outcome.filesWithErrors(),
                                millis);
                metadata.out().flush();
                if (outcome.importErrors() == 0) {
                    return 0;
                }
                // the sync stored exactly the folder's errors: the stored list is what was just found
                ImportErrorReport.print(
                        metadata.err(),
                        ImportErrorReport.fromStored(cli.stores().importErrors().list()));
                return 1;
            }
        }
    }
}
