package dev.gust.cli.common;

import dev.gust.core.dag.load.ImportError;
import dev.gust.core.store.importerrors.StoredImportError;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Import errors as whole lines ({@code file:line: message}), for the commands that fail because a
 * DAG file did not load ({@code dags list --local}, {@code reserialize}, {@code dags test}): a CI
 * log must show every error in full, so nothing is cut to fit a table.
 */
public final class ImportErrorReport {

    private ImportErrorReport() {}

    /** Prints a heading counting the errors and files, then each error in file and line order. */
    public static void print(PrintWriter err, Collection<ImportError> errors) {
        List<ImportError> sorted = errors.stream()
                .sorted(Comparator.comparing(ImportError::file).thenComparingInt(ImportError::line))
                .toList();
        long files = sorted.stream().map(ImportError::file).distinct().count();
        err.println(sorted.size() + (sorted.size() == 1 ? " import error" : " import errors") + " in " + files
                + (files == 1 ? " DAG file:" : " DAG files:"));
        for (ImportError error : sorted) {
            String where = error.line() > 0 ? error.file() + ":" + error.line() : error.file();
            // a message of several lines stays readable: its further lines are indented under the first
            err.println("  " + where + ": " + error.message().replace("\n", "\n    "));
        }
        err.flush();
    }

    /** The stored import errors in the form of the parser's (line 0 when none was recorded). */
    public static List<ImportError> fromStored(List<StoredImportError> stored) {
        return stored.stream()
                .map(e -> new ImportError(e.filename(), e.line() == null ? 0 : e.line(), e.message()))
                .toList();
    }
}
