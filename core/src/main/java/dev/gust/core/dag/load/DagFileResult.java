package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one DAG file yielded: the DAGs that loaded and the import errors of those that did not
 * (or of the whole file, for a YAML syntax error). Both may be non-empty at once. An error found
 * in a defaults file the DAGs inherit names that file rather than this one. {@code sideFiles} are
 * the other files the DAGs were read from (a {@code doc_md_file_path}), each with the SHA-256 of
 * the content read, or {@link DocFiles#ABSENT} for a file that did not exist: the folder scanner
 * parses the DAG file again when one of them changes.
 */
public record DagFileResult(String file, List<Dag> dags, List<ImportError> errors, Map<Path, String> sideFiles) {

    public DagFileResult {
        dags = List.copyOf(dags);
        errors = List.copyOf(errors);
        sideFiles = Map.copyOf(sideFiles);
    }

    public DagFileResult(String file, List<Dag> dags, List<ImportError> errors) {
        this(file, dags, errors, Map.of());
    }

    static DagFileResult failed(String file, int line, String message) {
        return new DagFileResult(file, List.of(), List.of(new ImportError(file, line, message)));
    }
}
