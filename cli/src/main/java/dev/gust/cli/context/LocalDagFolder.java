package dev.gust.cli.context;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScan;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.load.ImportError;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.sync.DagFolderMissingException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/**
 * The configured DAG folder read in this process, with the rules a folder sync reads it by (size
 * limit, {@code .gustignore}, one file per DAG id), and no database: what {@code --local}
 * listings show and what {@code gust dags test} and {@code gust tasks test} run, the files as they
 * are now.
 */
public final class LocalDagFolder {

    private LocalDagFolder() {}

    /** A scanner of the configured folder, as the sync of the servers and reserialize use it. */
    static DagFolderScanner scanner(GustConfig config) {
        GustConfig.Core core = config.core();
        return new DagFolderScanner(
                core.dagsFolder(),
                new DagFolderScanner.Settings(
                        core.maxDagFileSizeBytes(), Runtime.getRuntime().availableProcessors()),
                // a Python task's python_callable_file may name the variables tasks get, never Gust's secrets
                new DagFileParser(OperatorCatalog.onClassPath(), Clock.systemUTC(), config.taskEnvironment()));
    }

    /** Parses every file of the folder once; a folder that is not there is an error. */
    public static DagFolderScan scan(GustConfig config) {
        DagFolderMissingException.requireFolder(config.core().dagsFolder());
        try (DagFolderScanner scanner = scanner(config)) {
            return scanner.scan();
        }
    }

    /** Every import error of the scan, in file and line order. */
    public static List<ImportError> errors(DagFolderScan scan) {
        return scan.importErrors().values().stream()
                .flatMap(List::stream)
                .sorted(Comparator.comparing(ImportError::file).thenComparingInt(ImportError::line))
                .toList();
    }
}
