package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code task_log_chunk} table: a task try's log as numbered chunks, appended while the task
 * runs so that the UI can follow it and the log outlives the process that wrote it. Reads are
 * bounded: a page holds at most a given number of bytes (and always at least one chunk), and a
 * whole log is written to a stream page by page, so that no reader holds a large log in memory.
 * {@link #maxTryBytes()} is the most one try may store ({@code logging.max_task_log_size}); the
 * writer enforces it, since only it knows where a line ends.
 */
public final class TaskLogRepository {

    /** How much one page of a log read holds at most: the API's and the UI's unit of reading. */
    public static final int PAGE_BYTES = 1024 * 1024;

    private final Jdbc jdbc;
    private final long maxTryBytes;

    /** A repository for readers, and for writers without a cap. */
    public TaskLogRepository(Jdbc jdbc) {
        this(jdbc, 0);
    }

    /** @param maxTryBytes the most one try's log may store, 0 for no cap */
    public TaskLogRepository(Jdbc jdbc, long maxTryBytes) {
        if (maxTryBytes < 0) {
            throw new IllegalArgumentException("the task log cap must not be negative, got " + maxTryBytes);
        }
        this.jdbc = jdbc;
        this.maxTryBytes = maxTryBytes;
    }

    /** The most one try's log may store (bytes of UTF-8), 0 for no cap. */
    public long maxTryBytes() {
        return maxTryBytes;
    }

    /** Bytes already stored for one try, so that a writer that takes over a try counts from there. */
    public long storedBytes(TaskInstanceKey key, int tryNumber) {
        return jdbc.queryOne("""
                SELECT coalesce(sum(octet_length(content)), 0) FROM task_log_chunk
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND try_number = :try""", keyParams(key, tryNumber), row -> row.getLong(1))
                .orElse(0L);
    }

    /** Appends one chunk; numbers follow on from the try's existing chunks. */
    public void append(TaskInstanceKey key, int tryNumber, String content) {
        jdbc.update(
                """
                INSERT INTO task_log_chunk (dag_id, run_id, task_id, map_index, try_number, chunk_no, content)
                SELECT :dagId, :runId, :taskId, :mapIndex, :try, coalesce(max(chunk_no) + 1, 0), :content
                  FROM task_log_chunk
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND try_number = :try""",
                Params.of("dagId", key.dagId())
                        .and("runId", key.runId())
                        .and("taskId", key.taskId())
                        .and("mapIndex", key.mapIndex())
                        .and("try", tryNumber)
                        .and("content", content));
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

    /** The whole log of one try, for tests and small logs; readers of any log use {@link #writeTo}. */
    public String read(TaskInstanceKey key, int tryNumber) {
        StringBuilder text = new StringBuilder();
        writeTo(key, tryNumber, text::append);
        return text.toString();
    }

    /** The whole log of one try, handed to {@code out} one page at a time. */
    public void writeTo(TaskInstanceKey key, int tryNumber, Consumer<String> out) {
        int from = 0;
        while (true) {
            Page page = readPage(key, tryNumber, from, PAGE_BYTES);
            page.chunks().forEach(chunk -> out.accept(chunk.content()));
            if (!page.more()) {
                return;
            }
            from = page.nextChunk();
        }
    }

    /**
     * The chunks of one try from {@code fromChunk} on, as many as fit in {@code maxBytes} but at
     * least one (the writer keeps chunks small); {@link Page#more()} says whether chunks follow.
     * Sizes are summed in the database from the stored lengths, so chunks past the page are never
     * sent.
     */
    public Page readPage(TaskInstanceKey key, int tryNumber, int fromChunk, int maxBytes) {
        List<Sized> rows = jdbc.query(
                """
                SELECT chunk_no, content, following FROM (
                    SELECT chunk_no, content,
                           sum(octet_length(content)) OVER (ORDER BY chunk_no) - octet_length(content) AS before,
                           count(*) OVER () - row_number() OVER (ORDER BY chunk_no) AS following
                      FROM task_log_chunk
                     WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                       AND try_number = :try AND chunk_no >= :from) sized
                 WHERE before + octet_length(content) <= :maxBytes OR before = 0
                 ORDER BY chunk_no""",
                keyParams(key, tryNumber).and("from", fromChunk).and("maxBytes", maxBytes),
                row -> new Sized(
                        new Chunk(row.getInt("chunk_no"), row.getString("content")), row.getLong("following")));
        if (rows.isEmpty()) {
            return new Page(List.of(), fromChunk, false);
        }
        Sized last = rows.getLast();
        return new Page(rows.stream().map(Sized::chunk).toList(), last.chunk().number() + 1, last.following() > 0);
    }

    /**
     * The chunk a read of the log's last {@code maxBytes} starts at (the last chunk at least; 0
     * for an empty log): where the UI opens a running task's log, at its tail.
     */
    public int tailStart(TaskInstanceKey key, int tryNumber, int maxBytes) {
        List<Integer> first =
                jdbc.query("""
                SELECT min(chunk_no) AS chunk_no FROM (
                    SELECT chunk_no,
                           sum(octet_length(content)) OVER (ORDER BY chunk_no DESC) AS from_end,
                           row_number() OVER (ORDER BY chunk_no DESC) AS n
                      FROM task_log_chunk
                     WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                       AND try_number = :try) sized
                 WHERE from_end <= :maxBytes OR n = 1""", keyParams(key, tryNumber).and("maxBytes", maxBytes), row -> row.getInt("chunk_no"));
        return first.isEmpty() ? 0 : first.getFirst();
    }

    private static Params keyParams(TaskInstanceKey key, int tryNumber) {
        return Params.of("dagId", key.dagId())
                .and("runId", key.runId())
                .and("taskId", key.taskId())
                .and("mapIndex", key.mapIndex())
                .and("try", tryNumber);
    }

    private record Sized(Chunk chunk, long following) {}

    public record Chunk(int number, String content) {}

    /**
     * One bounded read of a log: its chunks, the chunk number the next read starts at, and
     * whether more chunks were already stored after this page.
     */
    public record Page(List<Chunk> chunks, int nextChunk, boolean more) {

        /** The chunks' text, one after the other. */
        public String text() {
            StringBuilder text = new StringBuilder();
            chunks.forEach(chunk -> text.append(chunk.content()));
            return text.toString();
        }
    }
}
