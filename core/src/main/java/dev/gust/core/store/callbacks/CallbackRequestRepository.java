package dev.gust.core.store.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code callback_request} table: requests are inserted by whoever commits the state change
 * they report (in its transaction), claimed by any live scheduler with {@code FOR UPDATE SKIP
 * LOCKED} under a lease it keeps alive by heartbeats, and marked done by the claimant. A request
 * whose claimant stopped heartbeating is claimed again, up to {@code maxAttempts} claims.
 */
public final class CallbackRequestRepository {

    /** Initialized by the first callback request written or read: a process that has none need not load Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final String COLUMNS =
            "id, dag_id, run_id, task_id, map_index, try_number, event, spec::text AS spec,"
                    + " context::text AS context, state, attempts, error, output, created_at";

    private final Jdbc jdbc;

    public CallbackRequestRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Requests each of {@code specs} for one event (nothing when there are none); {@code taskId}
     * null for a DAG's callbacks. Call it in the transaction that commits the event.
     */
    public int request(
            String dagId,
            String runId,
            String taskId,
            int mapIndex,
            Integer tryNumber,
            CallbackEvent event,
            List<CallbackSpec> specs,
            Map<String, Object> context) {
        int inserted = 0;
        for (CallbackSpec spec : specs) {
            inserted += jdbc.update(
                    """
                    INSERT INTO callback_request (dag_id, run_id, task_id, map_index, try_number, event, spec, context)
                    VALUES (:dagId, :runId, :taskId, :mapIndex, :tryNumber, :event, CAST(:spec AS jsonb),
                            CAST(:context AS jsonb))""",
                    Params.of("dagId", dagId)
                            .and("runId", runId)
                            .and("taskId", taskId)
                            .and("mapIndex", mapIndex)
                            .and("tryNumber", tryNumber)
                            .and("event", event.key())
                            .and("spec", json(spec))
                            .and("context", json(context)));
        }
        return inserted;
    }

    /**
     * Claims up to {@code limit} requests for {@code claimant}: pending ones, and running ones whose
     * heartbeat is older than {@code lease} (their scheduler died). A request already claimed
     * {@code maxAttempts} times whose lease ran out is failed instead, so that a callback that kills
     * its scheduler does not kill every scheduler in turn.
     */
    public List<CallbackRequest> claim(String claimant, int limit, Duration lease, int maxAttempts) {
        return claim(claimant, limit, lease, maxAttempts, null, null);
    }

    /** As {@link #claim(String, int, Duration, int)}, only requests of one run ({@code gust dags test}'s). */
    public List<CallbackRequest> claim(
            String claimant, int limit, Duration lease, int maxAttempts, String dagId, String runId) {
        Params params = Params.of("claimant", claimant)
                .and("dagId", dagId)
                .and("runId", runId)
                .and("limit", limit)
                .and("seconds", (double) lease.toMillis() / 1000)
                .and("maxAttempts", maxAttempts);
        jdbc.update("""
                UPDATE callback_request
                   SET state = 'failed', finished_at = now(),
                       error = 'abandoned: claimed ' || attempts || ' times by schedulers that stopped while running it'
                 WHERE state = 'running' AND attempts >= :maxAttempts
                   AND heartbeat_at < now() - make_interval(secs => :seconds)""", params);
        return jdbc.query(
                "UPDATE callback_request c SET state = 'running', claimed_by = :claimant, heartbeat_at = now(),"
                        + " attempts = c.attempts + 1 FROM (SELECT id FROM callback_request"
                        + " WHERE (state = 'pending' OR (state = 'running'"
                        + " AND heartbeat_at < now() - make_interval(secs => :seconds)))"
                        + " AND (CAST(:dagId AS text) IS NULL OR (dag_id = :dagId AND run_id = :runId))"
                        + " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED) claimed WHERE c.id = claimed.id"
                        + " RETURNING c.id, c.dag_id, c.run_id, c.task_id, c.map_index, c.try_number, c.event,"
                        + " c.spec::text AS spec, c.context::text AS context, c.state, c.attempts, c.error, c.output,"
                        + " c.created_at",
                params,
                CallbackRequestRepository::map);
    }

    /** Renews the lease of the requests {@code claimant} is running; returns how many it still holds. */
    public int heartbeat(String claimant, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.update("""
                UPDATE callback_request SET heartbeat_at = now()
                 WHERE id = ANY(CAST(:ids AS bigint[])) AND claimed_by = :claimant AND state = 'running'""", Params.of("ids", List.copyOf(ids)).and("claimant", claimant));
    }

    /**
     * Records how a claimed request ended; false when {@code claimant} no longer held it (its lease
     * ran out and another scheduler claimed it).
     */
    public boolean finish(long id, String claimant, boolean success, String output, String error) {
        return jdbc.update(
                        """
                UPDATE callback_request
                   SET state = :state, output = :output, error = :error, finished_at = now()
                 WHERE id = :id AND claimed_by = :claimant AND state = 'running'""",
                        Params.of("id", id)
                                .and("claimant", claimant)
                                .and("state", success ? CallbackRequest.SUCCESS : CallbackRequest.FAILED)
                                .and("output", output)
                                .and("error", error))
                == 1;
    }

    /** The requests of a run, oldest first. */
    public List<CallbackRequest> listForRun(String dagId, String runId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM callback_request WHERE dag_id = :dagId AND run_id = :runId ORDER BY id",
                Params.of("dagId", dagId).and("runId", runId),
                CallbackRequestRepository::map);
    }

    private static CallbackRequest map(ResultSet row) throws SQLException {
        String event = row.getString("event");
        return new CallbackRequest(
                row.getLong("id"),
                row.getString("dag_id"),
                row.getString("run_id"),
                row.getString("task_id"),
                row.getInt("map_index"),
                Jdbc.nullableInt(row, "try_number"),
                CallbackEvent.ofKey(event)
                        .orElseThrow(() -> new IllegalStateException("unknown callback event " + event)),
                read(row.getString("spec"), new TypeReference<CallbackSpec>() {}),
                read(row.getString("context"), new TypeReference<Map<String, Object>>() {}),
                row.getString("state"),
                row.getInt("attempts"),
                row.getString("error"),
                row.getString("output"),
                Jdbc.instant(row, "created_at"));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store a callback request: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a stored callback request is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
