package dev.gust.core.store.datasets;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DatasetCondition;
import dev.gust.core.dag.model.TaskSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The datasets one DAG refers to: those its schedule consumes and, by task id, those each task
 * updates ({@code outlets}). Stored whenever the DAG is, so that a producer knows whom to queue
 * for and the UI and API list producers and consumers without reading serialized DAGs.
 */
public record DatasetReferences(List<String> scheduleUris, Map<String, List<String>> taskOutlets) {

    public static final DatasetReferences NONE = new DatasetReferences(List.of(), Map.of());

    public DatasetReferences {
        scheduleUris = List.copyOf(scheduleUris);
        taskOutlets = Collections.unmodifiableMap(new LinkedHashMap<>(taskOutlets));
    }

    /** The references of {@code dag}, from its schedule and its tasks' outlets. */
    public static DatasetReferences of(Dag dag) {
        Map<String, List<String>> outlets = new LinkedHashMap<>();
        for (TaskSpec task : dag.tasks()) {
            if (!task.outletUris().isEmpty()) {
                outlets.put(task.taskId(), task.outletUris());
            }
        }
        List<String> consumed =
                DatasetCondition.of(dag.schedule()).map(DatasetCondition::uris).orElse(List.of());
        return new DatasetReferences(consumed, outlets);
    }

    public boolean isEmpty() {
        return scheduleUris.isEmpty() && taskOutlets.isEmpty();
    }
}
