package dev.gust.core.dag.warnings;

import dev.gust.core.dag.model.Dag;
import java.util.Optional;

/**
 * The DAG warning listing the settings of a DAG's file that Gust accepts without acting on them
 * ({@code sla}, {@code email}, {@code queue}, task docs: see {@link Dag#ignoredSettings()}), so
 * that they are never dropped without a word.
 */
public final class IgnoredSettingsWarning {

    public static final String WARNING_TYPE = "ignored setting";

    private IgnoredSettingsWarning() {}

    public static Optional<DagWarning> check(Dag dag) {
        if (dag.ignoredSettings().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DagWarning(dag.dagId(), WARNING_TYPE, String.join("; ", dag.ignoredSettings())));
    }
}
