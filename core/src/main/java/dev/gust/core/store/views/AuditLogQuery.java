package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.events.LoggedEvent;
import java.util.List;

/**
 * The audit log page: events of the {@code log} table, newest first, filtered by DAG, event name
 * and user (each optional, exact match), one page at a time with the number of matches.
 */
public final class AuditLogQuery {

    /** A page of events and how many match in all. */
    public record Page(List<LoggedEvent> events, int total) {}

    private final Jdbc jdbc;

    public AuditLogQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Page page(String dagId, String event, String owner, int limit, int offset) {
        Params params = Params.of("dagId", blankToNull(dagId))
                .and("event", blankToNull(event))
                .and("owner", blankToNull(owner));
        String where = """
                 WHERE (CAST(:dagId AS text) IS NULL OR dag_id = :dagId)
                   AND (CAST(:event AS text) IS NULL OR event = :event)
                   AND (CAST(:owner AS text) IS NULL OR owner = :owner)""";
        List<LoggedEvent> events = jdbc.query(
                "SELECT " + EventLogRepository.COLUMNS + " FROM log " + where
                        + " ORDER BY dttm DESC, id DESC LIMIT :limit OFFSET :offset",
                params.and("limit", limit).and("offset", offset),
                EventLogRepository.LOGGED_EVENT);
        int total = jdbc.queryOne("SELECT count(*) AS n FROM log " + where, params, row -> row.getInt("n"))
                .orElse(0);
        return new Page(events, total);
    }

    /** The distinct event names, for the filter's choices. */
    public List<String> eventNames() {
        return jdbc.query(
                "SELECT DISTINCT event FROM log ORDER BY event", Params.none(), row -> row.getString("event"));
    }

    /** The distinct event names logged for one DAG, for its audit tab's filter. */
    public List<String> eventNames(String dagId) {
        return jdbc.query(
                "SELECT DISTINCT event FROM log WHERE dag_id = :dagId ORDER BY event",
                Params.of("dagId", dagId),
                row -> row.getString("event"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
