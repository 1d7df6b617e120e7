package dev.gust.webserver.health;

import dev.gust.core.schedule.RunIds;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of {@code /health}, shaped like Airflow's: the metadatabase's status, and the
 * scheduler's status with its latest heartbeat (null when no scheduler ever ran), a date as Airflow writes it. Gust's
 * scheduler also processes the DAG files, so {@code dag_processor} reports the scheduler; Gust
 * has no triggerer, so {@code triggerer} is what Airflow reports when none runs (nulls).
 */
public record HealthReport(boolean databaseHealthy, boolean schedulerHealthy, Instant latestSchedulerHeartbeat) {

    /** What the ALB target group needs to know: whether this webserver can serve pages. */
    public int httpStatus() {
        return databaseHealthy ? 200 : 503;
    }

    /** The JSON body, with Airflow's field names so that existing monitors keep working. */
    public Map<String, Object> body() {
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("status", schedulerHealthy ? "healthy" : "unhealthy");
        scheduler.put(
                "latest_scheduler_heartbeat",
                latestSchedulerHeartbeat == null ? null : RunIds.isoformat(latestSchedulerHeartbeat));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metadatabase", Map.of("status", databaseHealthy ? "healthy" : "unhealthy"));
        body.put("scheduler", scheduler);
        Map<String, Object> dagProcessor = new LinkedHashMap<>();
        dagProcessor.put("status", scheduler.get("status"));
        dagProcessor.put("latest_dag_processor_heartbeat", scheduler.get("latest_scheduler_heartbeat"));
        body.put("dag_processor", dagProcessor);
        Map<String, Object> triggerer = new LinkedHashMap<>();
        triggerer.put("status", null);
        triggerer.put("latest_triggerer_heartbeat", null);
        body.put("triggerer", triggerer);
        return body;
    }
}
