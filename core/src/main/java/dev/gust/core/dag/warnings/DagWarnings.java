package dev.gust.core.dag.warnings;

import dev.gust.core.dag.model.Dag;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every DAG warning check, run over one DAG: what a folder sync stores and what {@code gust dags
 * list-import-errors --local --warnings} prints without a database, so that both find the same
 * warnings. A new check is added here once.
 */
public final class DagWarnings {

    private static final Logger log = LoggerFactory.getLogger(DagWarnings.class);

    private DagWarnings() {}

    /** The warnings of {@code dag} that need nothing of this process's configuration. */
    public static List<DagWarning> of(Dag dag) {
        return of(dag, PythonInterpreterCheck.NOT_CHECKED);
    }

    /** The warnings of {@code dag}, in a stable order; a check that fails is logged and skipped. */
    public static List<DagWarning> of(Dag dag, PythonInterpreterCheck python) {
        List<DagWarning> found = new ArrayList<>();
        try {
            UnquotedShellTemplates.check(dag).ifPresent(found::add);
            DefaultViewFallback.check(dag).ifPresent(found::add);
            IgnoredSettingsWarning.check(dag).ifPresent(found::add);
            python.check(dag).ifPresent(found::add);
        } catch (RuntimeException e) {
            // a warning is advice: a bug in finding one must never stop a DAG from being stored or listed
            log.warn("DAG {} in {}: could not check it for DAG warnings", dag.dagId(), dag.fileloc(), e);
        }
        return found;
    }
}
