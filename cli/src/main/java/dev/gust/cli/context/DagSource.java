package dev.gust.cli.context;

import dev.gust.cli.common.ImportErrorReport;
import dev.gust.cli.common.UserError;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScan;
import dev.gust.core.dag.load.ImportError;
import dev.gust.core.dag.model.Dag;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The picocli mixin of a command that runs a DAG ({@code gust dags test}, {@code gust tasks
 * test}): by default the DAG is parsed from its file in the DAG folder when the command runs, as
 * Airflow's do, so that the edit just made is what gets tested; {@code --use-stored} runs the copy
 * the metadata database holds from the last sync instead.
 */
// picocli takes a class as a mixin only when it carries one of its annotations; an empty @Command adds nothing to help
@Command
public final class DagSource {

    @Option(
            names = "--use-stored",
            description = "Run the DAG as the metadata database stores it (the last sync of the DAG folder) "
                    + "instead of parsing its file now.")
    boolean useStored;

    public boolean useStored() {
        return useStored;
    }

    /**
     * The DAG as its file in the configured folder defines it now. When that file (or any file
     * whose errors name the DAG) has import errors, they are printed on {@code err} and the command
     * fails: a file half loaded is not the file that was written.
     */
    public Dag parse(GustConfig config, String dagId, PrintWriter err) {
        Path folder = config.core().dagsFolder();
        DagFolderScan scan = LocalDagFolder.scan(config);
        Dag dag = scan.dags().get(dagId);
        List<ImportError> errors = LocalDagFolder.errors(scan);
        List<ImportError> related = errors.stream()
                .filter(e -> (dag != null && e.file().equals(dag.fileloc()))
                        || e.message().contains("'" + dagId + "'"))
                .toList();
        if (!related.isEmpty()) {
            ImportErrorReport.print(err, related);
            String what =
                    dag != null ? "the file of DAG '" + dagId + "', " + dag.fileloc() + "," : "DAG '" + dagId + "'";
            throw new UserError(what + " does not load from " + folder
                    + " as it is now (import errors above); fix it, or run the copy stored by the last sync with"
                    + " --use-stored");
        }
        if (dag == null) {
            if (!errors.isEmpty()) {
                ImportErrorReport.print(err, errors);
                throw new UserError("no DAG '" + dagId + "' in " + folder
                        + "; it may be in a file that does not load (import errors above)");
            }
            throw new UserError(
                    "no DAG '" + dagId + "' in " + folder + "; 'gust dags list --local' lists the DAGs there");
        }
        return dag;
    }

    /** The DAG as the metadata database stores it, or a user error that says how to list them. */
    public static Dag stored(CliContext cli, String dagId) {
        cli.requireDag(dagId);
        return cli.dagDefinitions()
                .get(dagId)
                .orElseThrow(() -> new UserError("DAG '" + dagId + "' has no stored definition; "
                        + "'gust dags reserialize' stores the DAG folder's"))
                .dag();
    }
}
