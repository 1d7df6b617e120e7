package dev.gust.core.store.pools;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.util.List;
import java.util.Optional;

/** The {@code slot_pool} table: list, read, create or resize, and delete pools. */
public final class PoolRepository {

    private static final RowMapper<Pool> POOL =
            row -> new Pool(row.getString("pool"), row.getInt("slots"), row.getString("description"));

    private final Jdbc jdbc;

    public PoolRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Pool> list() {
        return jdbc.query("SELECT pool, slots, description FROM slot_pool ORDER BY pool", Params.none(), POOL);
    }

    /**
     * Every pool with the slots its queued and running task instances hold, in one query; a
     * restarting one (cleared, its runner still stopping) counts as running.
     */
    public List<PoolUsage> usage() {
        return jdbc.query(
                """
                SELECT p.pool, p.slots, p.description,
                       coalesce(sum(ti.pool_slots) FILTER (WHERE ti.state = ANY(:heartbeating)), 0) AS running,
                       coalesce(sum(ti.pool_slots) FILTER (WHERE ti.state = :queued), 0) AS queued
                  FROM slot_pool p
                  LEFT JOIN task_instance ti ON ti.pool = p.pool AND ti.state = ANY(:inFlight)
                 GROUP BY p.pool, p.slots, p.description
                 ORDER BY p.pool""",
                Params.of("heartbeating", TaskState.HEARTBEATING)
                        .and("queued", TaskState.QUEUED)
                        .and("inFlight", TaskState.IN_FLIGHT),
                row -> new PoolUsage(POOL.map(row), row.getInt("running"), row.getInt("queued")));
    }

    public Optional<Pool> find(String name) {
        return jdbc.queryOne(
                "SELECT pool, slots, description FROM slot_pool WHERE pool = :name", Params.of("name", name), POOL);
    }

    /** Creates the pool or changes its slots and description. */
    public void set(Pool pool) {
        if (pool.slots() < -1) {
            throw new IllegalArgumentException(
                    "pool " + pool.name() + " needs 0 or more slots (or -1 for unlimited), got " + pool.slots());
        }
        jdbc.update(
                """
                INSERT INTO slot_pool (pool, slots, description) VALUES (:name, :slots, :description)
                ON CONFLICT (pool) DO UPDATE SET slots = EXCLUDED.slots, description = EXCLUDED.description
                """, Params.of("name", pool.name()).and("slots", pool.slots()).and("description", pool.description()));
    }

    /** Sets Airflow's {@code include_deferred} of a pool (kept for clients; Gust defers no task). */
    public void setIncludeDeferred(String name, boolean includeDeferred) {
        jdbc.update(
                "UPDATE slot_pool SET include_deferred = :includeDeferred WHERE pool = :name",
                Params.of("name", name).and("includeDeferred", includeDeferred));
    }

    /**
     * Renames a pool, as Airflow's API does: only the pool row changes, never the tasks or task
     * instances that name the old pool. False when {@code newName} is taken.
     */
    public boolean rename(String name, String newName) {
        if (Pool.DEFAULT.equals(name)) {
            throw new IllegalArgumentException("the default pool cannot be renamed");
        }
        return jdbc.update("""
                UPDATE slot_pool SET pool = :newName
                 WHERE pool = :name AND NOT EXISTS (SELECT 1 FROM slot_pool WHERE pool = :newName)
                """, Params.of("name", name).and("newName", newName)) > 0;
    }

    /** Deletes a pool; returns false when there was none. The default pool cannot be deleted. */
    public boolean delete(String name) {
        if (Pool.DEFAULT.equals(name)) {
            throw new IllegalArgumentException("the default pool cannot be deleted; resize it instead");
        }
        return jdbc.update("DELETE FROM slot_pool WHERE pool = :name", Params.of("name", name)) > 0;
    }
}
