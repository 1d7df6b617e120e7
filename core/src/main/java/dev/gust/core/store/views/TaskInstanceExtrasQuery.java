package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.TaskInstanceKey;
import java.util.Optional;

/**
 * What the task instance page shows beyond {@link dev.gust.core.store.runs.TaskInstance}: the
 * rendered templates ({@code rendered_fields}, JSON written by the runner once it rendered them).
 */
public final class TaskInstanceExtrasQuery {

    private final Jdbc jdbc;

    public TaskInstanceExtrasQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The rendered fields as JSON text, empty when the task has not rendered yet. */
    public Optional<String> renderedFields(TaskInstanceKey key) {
        // query, not queryOne: the column is NULL until the runner rendered the fields.
        return jdbc
                .query(
                        """
                SELECT CAST(rendered_fields AS text) AS fields FROM task_instance
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex""",
                        Params.of("dagId", key.dagId())
                                .and("runId", key.runId())
                                .and("taskId", key.taskId())
                                .and("mapIndex", key.mapIndex()),
                        row -> row.getString("fields"))
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }
}
