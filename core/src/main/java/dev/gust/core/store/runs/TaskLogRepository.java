package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    /** One log line as task logs show it: {@code [2024-01-01T06:00:00.123Z] text} and a newline. */
    public static String formatLine(Instant at, String text) {
        return "[" + TIME.format(at) + "] " + text + "\n";
    }

    /** Appends one line written by Gust itself about a try (not by the task), e.g. why it failed. */
    public void appendLine(TaskInstanceKey key, int tryNumber, Instant at, String text) {
        append(key, tryNumber, formatLine(at, text));
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
