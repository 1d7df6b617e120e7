package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.TaskInstanceKey;
import java.util.Optional;

/**
 * What the task instance page and the REST API show beyond
 * {@link dev.gust.core.store.runs.TaskInstance}: the rendered templates of a try
 * ({@code task_instance_rendered}, JSON written and masked by the runner once it rendered them).
 */
public final class TaskInstanceExtrasQuery {

    private final Jdbc jdbc;

    public TaskInstanceExtrasQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The rendered fields of one try as JSON text, empty when that try has not rendered (yet). */
    public Optional<String> renderedFields(TaskInstanceKey key, int tryNumber) {
        return jdbc.queryOne("""
                SELECT CAST(rendered_fields AS text) AS fields FROM task_instance_rendered
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND try_number = :try""", params(key).and("try", tryNumber), row -> row.getString("fields"));
    }

    /** The rendered fields of the latest try that rendered them, empty when none has. */
    public Optional<String> renderedFields(TaskInstanceKey key) {
        return jdbc.queryOne("""
                SELECT CAST(rendered_fields AS text) AS fields FROM task_instance_rendered
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                 ORDER BY try_number DESC LIMIT 1""", params(key), row -> row.getString("fields"));
    }

    private static Params params(TaskInstanceKey key) {
        return Params.of("dagId", key.dagId())
                .and("runId", key.runId())
                .and("taskId", key.taskId())
                .and("mapIndex", key.mapIndex());
    }
}
