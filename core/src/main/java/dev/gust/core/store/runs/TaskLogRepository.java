package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.util.List;

/**
 * The {@code task_log_chunk} table: a task try's log as numbered chunks, appended while the task
 * runs so that the UI can follow it and the log outlives the process that wrote it.
 */
public final class TaskLogRepository {

    private final Jdbc jdbc;

    public TaskLogRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends one chunk; numbers follow on from the try's existing chunks. */
    public void append(TaskInstanceKey key, int tryNumber, String content) {
        jdbc.update("""
                INSERT INTO task_log_chunk (dag_id, run_id, task_id, map_index, try_number, chunk_no, content)
                SELECT :dagId, :runId, :taskId, :mapIndex, :try, coalesce(max(chunk_no) + 1, 0), :content
                  FROM task_log_chunk
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND try_number = :try""",
                Params.of("dagId", key.dagId()).and("runId", key.runId()).and("taskId", key.taskId())
                        .and("mapIndex", key.mapIndex()).and("try", tryNumber).and("content", content));
    }

    /** The whole log of one try. */
    public String read(TaskInstanceKey key, int tryNumber) {
        return String.join("", readFrom(key, tryNumber, 0).stream().map(Chunk::content).toList());
    }

    /** The chunks of one try from {@code fromChunk} on, for following a running task's log. */
    public List<Chunk> readFrom(TaskInstanceKey key, int tryNumber, int fromChunk) {
        return jdbc.query("""
                SELECT chunk_no, content FROM task_log_chunk
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND try_number = :try AND chunk_no >= :from
                 ORDER BY chunk_no""",
                Params.of("dagId", key.dagId()).and("runId", key.runId()).and("taskId", key.taskId())
                        .and("mapIndex", key.mapIndex()).and("try", tryNumber).and("from", fromChunk),
                row -> new Chunk(row.getInt("chunk_no"), row.getString("content")));
    }

    public record Chunk(int number, String content) {}
}
