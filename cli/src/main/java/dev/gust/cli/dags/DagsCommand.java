package dev.gust.cli.dags;

import dev.gust.cli.common.OutputFormat;
import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagSerializer;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.dagwarnings.StoredDagWarning;
import dev.gust.core.store.importerrors.StoredImportError;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gust dags ...}: DAGs as the metadata database knows them. Listing reads the database,
 * not the files, so it shows what the schedulers and the webserver see; {@code reserialize} is
 * the one subcommand that reads the DAG folder and writes the result.
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
            description = "List the active DAGs: id, schedule, paused, file, tags.")
    static final class ListDags implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Option(names = "--include-inactive", description = "Also list DAGs whose file no longer defines them.")
        boolean includeInactive;

        @Override
        public void run() {
            try (CliContext cli = metadata.open()) {
                GustConfig config = cli.config();
                DagRepository dags = cli.stores().dags();
                List<StoredDag> rows = includeInactive ? dags.list() : dags.listActive();
                Table table = includeInactive
                        ? new Table("dag_id", "schedule", "paused", "fileloc", "tags", "active")
                        : new Table("dag_id", "schedule", "paused", "fileloc", "tags");
                for (StoredDag dag : rows) {
                    String schedule = dag.scheduleExpression() == null ? "None" : dag.scheduleExpression();
                    List<String> row = new java.util.ArrayList<>(List.of(
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
            }
        }
    }

    @Command(
            name = "list-import-errors",
            mixinStandardHelpOptions = true,
            description = {
                "List the DAG files that failed to load, with line and message; exit 1 if any.",
                "Then the DAG warnings of DAGs that load (e.g. a bash command that puts params or conf into the "
                        + "shell unquoted), labelled as such; warnings alone do not change the exit code. "
                        + "With -o json, stdout holds only the import errors and the warnings go to stderr."
            })
    static final class ListImportErrors implements java.util.concurrent.Callable<Integer> {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            try (CliContext cli = metadata.open()) {
                List<StoredImportError> errors = cli.stores().importErrors().list();
                Table table = new Table("filepath", "line", "error");
                errors.forEach(
                        e -> table.add(e.filename(), e.line() == null ? "" : String.valueOf(e.line()), e.message()));
                if (errors.isEmpty() && output.format() == OutputFormat.table) {
                    metadata.out().println("no import errors");
                } else {
                    table.print(metadata.out(), output.format());
                }
                printWarnings(cli.stores().dagWarnings().list());
                // Non-zero when a file is broken, so that CI pipelines of DAG repositories can gate on it;
                // warnings do not count (as in Airflow): the DAG loads and runs
                return errors.isEmpty() ? 0 : 1;
            }
        }

        private void printWarnings(List<StoredDagWarning> warnings) {
            if (warnings.isEmpty()) {
                return;
            }
            // a JSON reader of stdout must still get one document: the warnings go to stderr then
            java.io.PrintWriter out = output.format() == OutputFormat.json ? metadata.err() : metadata.out();
            out.println();
            out.println("DAG warnings (" + warnings.size()
                    + "; the DAGs load and run, warnings do not change the exit code):");
            // whole lines, not a table: the message says where and what to write, a cut one would not
            warnings.forEach(w -> out.println(w.dagId() + " [" + w.warningType() + "]: " + w.message()));
            out.flush();
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a DAG's tasks and their dependencies as text (or Graphviz DOT).")
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
                    printDot(out, dag);
                } else {
                    printText(out, dag, stored);
                }
            }
        }

        private static void printText(PrintWriter out, Dag dag, StoredDag stored) {
            out.println("DAG " + dag.dagId() + (dag.description() == null ? "" : ": " + dag.description()));
            out.println("  schedule: " + (stored.scheduleExpression() == null ? "None" : stored.scheduleExpression())
                    + " (" + stored.timetableDescription() + ")");
            out.println("  file:     " + dag.fileloc()
                    + (stored.active() ? "" : " (inactive: no longer in the DAG folder)"));
            out.println("  paused:   " + stored.paused());
            out.println("  tasks:    " + dag.tasks().size());
            out.println();
            Table table = new Table("task_id", "operator", "upstream", "downstream", "trigger_rule", "retries");
            for (TaskSpec task : dag.tasks()) {
                table.add(
                        task.taskId(),
                        task.operator(),
                        String.join(", ", task.upstream()),
                        String.join(", ", dag.downstream(task.taskId())),
                        task.triggerRule().fileName(),
                        String.valueOf(task.retries()));
            }
            table.print(out, OutputFormat.table);
        }

        private static void printDot(PrintWriter out, Dag dag) {
            out.println("digraph \"" + dag.dagId() + "\" {");
            out.println("  rankdir=LR;");
            for (TaskSpec task : dag.tasks()) {
                out.println(
                        "  \"" + task.taskId() + "\" [label=\"" + task.taskId() + "\\n(" + task.operator() + ")\"];");
            }
            for (TaskSpec task : dag.tasks()) {
                for (String upstream : task.upstream()) {
                    out.println("  \"" + upstream + "\" -> \"" + task.taskId() + "\";");
                }
            }
            out.println("}");
            out.flush();
        }
    }

    @Command(
            name = "reserialize",
            mixinStandardHelpOptions = true,
            description = "Parse the DAG folder now and store the DAGs and import errors in the metadata database.")
    static final class Reserialize implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Override
        public void run() {
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
            }
        }
    }
}
