package dev.gust.core.store.dags;

import dev.gust.core.schedule.DataInterval;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A DAG as the metadata database knows it: its parsed description plus the state that belongs
 * to the database rather than to the file, namely whether it is paused and whether its file
 * still defines it. The serialized DAG itself is read separately
 * ({@link DagRepository#serializedDag}), since listings do not need it. {@code nextDagrun} is the
 * data interval of its next scheduled run as the scheduler last worked it out (null when it has
 * none, or no scheduler has looked yet). {@code dagDisplayName} and {@code defaultView} are null
 * when the DAG's file does not set them; {@code ownerLinks} maps owner names to links.
 * none, or no scheduler has looked yet). {@code bundleVersion} is the version of the DAG bundle
 * it was last parsed from (null when it came from a plain folder).
 */
public record StoredDag(
        String dagId,
        boolean paused,
        boolean active,
        String fileloc,
        String description,
        String owners,
        List<String> tags,
        String scheduleExpression,
        String timetableDescription,
        int maxActiveRuns,
        int maxActiveTasks,
        String versionHash,
        Instant lastParsedAt,
        Instant createdAt,
        Instant updatedAt,
        DataInterval nextDagrun,
        String dagDisplayName,
        String defaultView,
        Map<String, String> ownerLinks,
        String bundleVersion) {

    /** The name people see: the DAG's {@code dag_display_name}, else its id (as Airflow). */
    public String displayName() {
        return dagDisplayName != null ? dagDisplayName : dagId;
    }
}
