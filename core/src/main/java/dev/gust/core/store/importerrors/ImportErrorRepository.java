package dev.gust.core.store.importerrors;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.util.Collection;
import java.util.List;

/**
 * The {@code import_error} table: the DAG loader records why a file failed to load, and clears
 * the record once it loads again; the UI and {@code gust dags list-import-errors} list them.
 * A file's errors are always replaced as a whole, so a reader never sees half of a parse.
 */
public final class ImportErrorRepository {

    /** The columns of {@code import_error} that {@link #IMPORT_ERROR} reads. */
    static final String COLUMNS = "id, filename, line, message, timestamp";

    static final RowMapper<StoredImportError> IMPORT_ERROR = row -> new StoredImportError(
            row.getLong("id"),
            row.getString("filename"),
            Jdbc.nullableInt(row, "line"),
            row.getString("message"),
            Jdbc.instant(row, "timestamp"));

    private final Jdbc jdbc;

    public ImportErrorRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces every recorded error of {@code filename} with {@code problems}, in one transaction. */
    public void replaceForFile(String filename, List<ImportProblem> problems) {
        jdbc.inTransaction(tx -> {
            clearForFile(tx, filename);
            for (ImportProblem problem : problems) {
                tx.update(
                        """
                        INSERT INTO import_error (filename, line, message, timestamp)
                        VALUES (:filename, :line, :message, now())
                        """,
                        Params.of("filename", filename)
                                .and("line", problem.line())
                                .and("message", problem.message()));
            }
            return null;
        });
    }

    /** Forgets the errors of a file that now loads; returns how many there were. */
    public int clearForFile(String filename) {
        return clearForFile(jdbc, filename);
    }

    /** Forgets the errors of files that no longer exist; returns how many there were. */
    public int clearFilesOtherThan(Collection<String> existingFiles) {
        return jdbc.update(
                "DELETE FROM import_error WHERE NOT (filename = ANY (:existingFiles))",
                Params.of("existingFiles", existingFiles));
    }

    /** Every recorded error, by file and line. */
    public List<StoredImportError> list() {
        return jdbc.query("""
                SELECT %s FROM import_error
                ORDER BY filename, line NULLS FIRST, id
                """.formatted(COLUMNS), Params.none(), IMPORT_ERROR);
    }

    private static int clearForFile(Jdbc jdbc, String filename) {
        return jdbc.update("DELETE FROM import_error WHERE filename = :filename", Params.of("filename", filename));
    }
}
