package dev.gust.core.store.events;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.util.List;

/** The {@code log} table, Gust's audit trail: append an event, list the latest ones. Append only. */
public final class EventLogRepository {

    private static final String COLUMNS = "id, dttm, event, dag_id, task_id, run_id, owner, extra";

    private static final RowMapper<LoggedEvent> LOGGED_EVENT = row -> new LoggedEvent(
            row.getLong("id"),
            Jdbc.instant(row, "dttm"),
            new Event(row.getString("event"), row.getString("dag_id"), row.getString("task_id"),
                    row.getString("run_id"), row.getString("owner"), row.getString("extra")));

    private final Jdbc jdbc;

    public EventLogRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an event now and returns its id. */
    public long append(Event event) {
        return jdbc.queryOne("""
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
                row -> row.getLong(1)).orElseThrow();
    }

    /** The latest {@code limit} events, newest first. */
    public List<LoggedEvent> recent(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM log ORDER BY dttm DESC, id DESC LIMIT :limit",
                Params.of("limit", limit), LOGGED_EVENT);
    }

    /** The latest {@code limit} events about one DAG, newest first. */
    public List<LoggedEvent> recentForDag(String dagId, int limit) {
        return jdbc.query("""
                SELECT %s FROM log WHERE dag_id = :dagId ORDER BY dttm DESC, id DESC LIMIT :limit
                """.formatted(COLUMNS), Params.of("dagId", dagId).and("limit", limit), LOGGED_EVENT);
    }
}
