package dev.gust.core.store.events;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Paged, filtered listings of the audit log for the REST API's {@code /eventLogs}. */
public final class EventLogQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = orderColumns();

    /** What to list; null fields do not filter. {@code before}/{@code after} bound the event's time. */
    public record Filter(
            String dagId, String taskId, String runId, String event, String owner, Instant before, Instant after) {}

    private static final String SELECT = "id, dttm, event, dag_id, task_id, run_id, owner, extra";

    private static final String FROM_WHERE = """
             FROM log
            WHERE (CAST(:dagId AS text) IS NULL OR dag_id = :dagId)
              AND (CAST(:taskId AS text) IS NULL OR task_id = :taskId)
              AND (CAST(:runId AS text) IS NULL OR run_id = :runId)
              AND (CAST(:event AS text) IS NULL OR event = :event)
              AND (CAST(:owner AS text) IS NULL OR owner = :owner)
              AND (CAST(:before AS timestamptz) IS NULL OR dttm < :before)
              AND (CAST(:after AS timestamptz) IS NULL OR dttm > :after)""";

    private static final RowMapper<LoggedEvent> LOGGED_EVENT = row -> new LoggedEvent(
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

    public EventLogQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "event_log_id", "id");
    }

    public Page<LoggedEvent> list(Filter f, OrderBy order, int limit, int offset) {
        Params params = Params.of("dagId", f.dagId())
                .and("taskId", f.taskId())
                .and("runId", f.runId())
                .and("event", f.event())
                .and("owner", f.owner())
                .and("before", f.before())
                .and("after", f.after());
        return PagedQuery.run(jdbc, SELECT, FROM_WHERE, params, order, limit, offset, LOGGED_EVENT);
    }

    public Optional<LoggedEvent> find(long id) {
        return jdbc.queryOne("SELECT " + SELECT + " FROM log WHERE id = :id", Params.of("id", id), LOGGED_EVENT);
    }

    private static Map<String, String> orderColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("event_log_id", "id");
        columns.put("when", "dttm");
        columns.put("dag_id", "dag_id");
        columns.put("task_id", "task_id");
        columns.put("run_id", "run_id");
        columns.put("event", "event");
        columns.put("owner", "owner");
        return Collections.unmodifiableMap(columns);
    }
}
