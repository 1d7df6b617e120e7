package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import java.util.List;

/**
 * What one DAG file yielded: the DAGs that loaded and the import errors of those that did not
 * (or of the whole file, for a YAML syntax error). Both may be non-empty at once. An error found
 * in a defaults file the DAGs inherit names that file rather than this one.
 */
public record DagFileResult(String file, List<Dag> dags, List<ImportError> errors) {

    public DagFileResult {
        dags = List.copyOf(dags);
        errors = List.copyOf(errors);
    }

    static DagFileResult failed(String file, int line, String message) {
        return new DagFileResult(file, List.of(), List.of(new ImportError(file, line, message)));
    }
}
