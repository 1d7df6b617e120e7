package dev.gust.core.store.events;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Paged, filtered listings of the audit log for the REST API's {@code /eventLogs}. */
public final class EventLogQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("event_log_id", "id"),
            Map.entry("when", "dttm"),
            Map.entry("dag_id", "dag_id"),
            Map.entry("task_id", "task_id"),
            Map.entry("run_id", "run_id"),
            Map.entry("event", "event"),
            Map.entry("owner", "owner"));

    /** What to list; null fields do not filter. {@code before}/{@code after} bound the event's time. */
    public record Filter(
            String dagId, String taskId, String runId, String event, String owner, Instant before, Instant after) {}

    private static final String SELECT = EventLogRepository.COLUMNS;

    private static final String FROM_WHERE = """
             FROM log
            WHERE (CAST(:dagId AS text) IS NULL OR dag_id = :dagId)
              AND (CAST(:taskId AS text) IS NULL OR task_id = :taskId)
              AND (CAST(:runId AS text) IS NULL OR run_id = :runId)
              AND (CAST(:event AS text) IS NULL OR event = :event)
              AND (CAST(:owner AS text) IS NULL OR owner = :owner)
              AND (CAST(:before AS timestamptz) IS NULL OR dttm < :before)
              AND (CAST(:after AS timestamptz) IS NULL OR dttm > :after)""";

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
        return PagedQuery.run(jdbc, SELECT, FROM_WHERE, params, order, limit, offset, EventLogRepository.LOGGED_EVENT);
    }

    public Optional<LoggedEvent> find(long id) {
        return jdbc.queryOne(
                "SELECT " + SELECT + " FROM log WHERE id = :id", Params.of("id", id), EventLogRepository.LOGGED_EVENT);
    }
}
