package dev.gust.core.store.events;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code log} table, Gust's audit trail: append an event, list the latest ones. Append only,
 * except that an event that can come in floods (a refused login) is one row per window whose
 * count goes up ({@link #appendCounted}).
 */
public final class EventLogRepository {

    /** The columns of {@code log} that {@link #LOGGED_EVENT} reads, for every query that lists events. */
    public static final String COLUMNS = "id, dttm, event, dag_id, task_id, run_id, owner, extra";

    /** Reads a row of {@link #COLUMNS}. */
    public static final RowMapper<LoggedEvent> LOGGED_EVENT = row -> new LoggedEvent(
            row.getLong("id"),
            Jdbc.instant(row, "dttm"),
            new Event(
                    row.getString("event"),
                    row.getString("dag_id"),
                    row.getString("task_id"),
                    row.getString("run_id"),
                    row.getString("owner"),
                    row.getString("extra")));

    private final Jdbc jdbc;

    public EventLogRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an event now and returns its id. */
    public long append(Event event) {
        return jdbc.queryOne(
                        """
                INSERT INTO log (event, dag_id, task_id, run_id, owner, extra)
                VALUES (:event, :dagId, :taskId, :runId, :owner, :extra)
                RETURNING id
                """,
                        Params.of("event", event.event())
                                .and("dagId", event.dagId())
                                .and("taskId", event.taskId())
                                .and("runId", event.runId())
                                .and("owner", event.owner())
                                .and("extra", event.extra()),
                        row -> row.getLong(1))
                .orElseThrow();
    }

    /**
     * Records an event that may repeat many times a second: the first within {@code window} is
     * appended with {@code attempts=1} after its extra; repeats (same event, owner and extra)
     * within the window only count up that row. Serialized per event so that two webservers
     * racing make one row, not two.
     */
    public void appendCounted(Event event, Duration window) {
        String prefix = (event.extra() == null ? "" : event.extra() + " ") + "attempts=";
        jdbc.inTransaction(tx -> {
            tx.queryOne(
                    "SELECT pg_advisory_xact_lock(hashtext(:key))",
                    Params.of("key", event.event() + "\n" + event.owner() + "\n" + prefix),
                    row -> 1);
            Optional<long[]> counted = tx.queryOne(
                    """
                    SELECT id, substring(extra FROM char_length(:prefix) + 1)::bigint AS attempts FROM log
                    WHERE dttm > now() - make_interval(secs => :seconds) AND event = :event
                      AND owner IS NOT DISTINCT FROM :owner AND starts_with(extra, :prefix)
                      AND substring(extra FROM char_length(:prefix) + 1) ~ '^[0-9]+$'
                    ORDER BY dttm DESC, id DESC LIMIT 1
                    """,
                    Params.of("prefix", prefix)
                            .and("seconds", (double) window.toSeconds())
                            .and("event", event.event())
                            .and("owner", event.owner()),
                    row -> new long[] {row.getLong("id"), row.getLong("attempts")});
            if (counted.isPresent()) {
                tx.update(
                        "UPDATE log SET extra = :extra WHERE id = :id",
                        Params.of("extra", prefix + (counted.get()[1] + 1)).and("id", counted.get()[0]));
            } else {
                new EventLogRepository(tx)
                        .append(new Event(
                                event.event(),
                                event.dagId(),
                                event.taskId(),
                                event.runId(),
                                event.owner(),
                                prefix + 1));
            }
            return null;
        });
    }

    /** The latest {@code limit} events, newest first. */
    public List<LoggedEvent> recent(int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM log ORDER BY dttm DESC, id DESC LIMIT :limit",
                Params.of("limit", limit),
                LOGGED_EVENT);
    }

    /** The latest {@code limit} events about one DAG, newest first. */
    public List<LoggedEvent> recentForDag(String dagId, int limit) {
        return jdbc.query("""
                SELECT %s FROM log WHERE dag_id = :dagId ORDER BY dttm DESC, id DESC LIMIT :limit
                """.formatted(COLUMNS), Params.of("dagId", dagId).and("limit", limit), LOGGED_EVENT);
    }

    /** The DAG's latest pause or unpause, by whoever (user, CLI, API, scheduler); empty when none. */
    public java.util.Optional<LoggedEvent> latestPauseChange(String dagId) {
        return jdbc.queryOne("""
                SELECT %s FROM log WHERE dag_id = :dagId AND event IN ('pause', 'unpause')
                 ORDER BY dttm DESC, id DESC LIMIT 1
                """.formatted(COLUMNS), Params.of("dagId", dagId), LOGGED_EVENT);
    }
}
