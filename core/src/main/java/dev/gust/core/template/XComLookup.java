package dev.gust.core.template;

import java.util.Optional;

/**
 * Reads one XCom of the current DAG run (or of the run with the same logical date of another
 * DAG) for {@code ti.xcom_pull(...)}. The renderer turns Airflow's list arguments
 * ({@code task_ids=[...]}, {@code map_indexes=[...]}) into one call per item, so a store only
 * answers single look-ups.
 */
@FunctionalInterface
public interface XComLookup {

    /** Means "the task is not mapped" (Airflow's map_index -1). */
    int UNMAPPED = -1;

    XComLookup NONE = (dagId, taskId, key, mapIndex) -> Optional.empty();

    /**
     * The JSON-decoded value (String, Number, Boolean, List, Map) that {@code taskId} pushed under
     * {@code key}, or empty when there is none. A pushed JSON {@code null} reads as empty.
     */
    Optional<Object> pull(String dagId, String taskId, String key, int mapIndex);
}
