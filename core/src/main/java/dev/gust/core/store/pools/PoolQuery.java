package dev.gust.core.store.pools;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Map;
import java.util.Optional;

/**
 * Paged listings of pools with the slots their running and queued task instances hold, for the
 * REST API's {@code /pools}; the same sums as {@link PoolRepository#usage()}.
 */
public final class PoolQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = Map.of("name", "p.pool", "slots", "p.slots");

    private static final String SELECT = """
            p.pool, p.slots, p.description, p.include_deferred,
            coalesce((SELECT sum(ti.pool_slots) FROM task_instance ti
                       WHERE ti.pool = p.pool AND ti.state = ANY(:heartbeating)), 0) AS running,
            coalesce((SELECT sum(ti.pool_slots) FROM task_instance ti WHERE ti.pool = p.pool AND ti.state = :queued), 0) AS queued,
            coalesce((SELECT sum(ti.pool_slots) FROM task_instance ti WHERE ti.pool = p.pool AND ti.state = :scheduled), 0) AS scheduled""";

    /**
     * A pool's usage, the slots of its task instances that are scheduled but not yet queued, and
     * Airflow's {@code include_deferred} as set through the API.
     */
    public record Listed(PoolUsage usage, int scheduled, boolean includeDeferred) {}

    private final Jdbc jdbc;

    public PoolQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "name", "p.pool");
    }

    public Page<Listed> list(OrderBy order, int limit, int offset) {
        return PagedQuery.run(jdbc, SELECT, " FROM slot_pool p", states(), order, limit, offset, row -> usage(row));
    }

    public Optional<Listed> find(String name) {
        return jdbc.queryOne(
                "SELECT " + SELECT + " FROM slot_pool p WHERE p.pool = :name",
                states().and("name", name),
                PoolQuery::usage);
    }

    /** The states {@link #SELECT} sums by; a restarting task instance (its runner still stopping) counts as running. */
    private static Params states() {
        return Params.of("heartbeating", TaskState.HEARTBEATING)
                .and("queued", TaskState.QUEUED)
                .and("scheduled", TaskState.SCHEDULED);
    }

    private static Listed usage(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Listed(
                new PoolUsage(
                        new Pool(row.getString("pool"), row.getInt("slots"), row.getString("description")),
                        row.getInt("running"),
                        row.getInt("queued")),
                row.getInt("scheduled"),
                row.getBoolean("include_deferred"));
    }
}
