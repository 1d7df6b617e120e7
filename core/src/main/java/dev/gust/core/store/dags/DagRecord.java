package dev.gust.core.store.dags;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the DAG loader writes for one DAG it parsed: where it came from, what the UI lists, and
 * the serialized DAG with a hash of it. The hash decides whether anything changed since the last
 * parse, so it must cover everything the scheduler reads from {@code serializedJson}.
 * {@code dagDisplayName} and {@code defaultView} are null when the file does not set them;
 * {@code ownerLinks} maps owner names to links (Airflow's {@code owner_links}).
 */
public record DagRecord(
        String dagId,
        String fileloc,
        String description,
        String owners,
        List<String> tags,
        String scheduleExpression,
        String timetableDescription,
        int maxActiveRuns,
        int maxActiveTasks,
        String serializedJson,
        String versionHash,
        String dagDisplayName,
        String defaultView,
        Map<String, String> ownerLinks) {

    public DagRecord {
        Objects.requireNonNull(dagId, "dagId");
        Objects.requireNonNull(fileloc, "fileloc");
        Objects.requireNonNull(serializedJson, "serializedJson");
        Objects.requireNonNull(versionHash, "versionHash");
        tags = tags == null ? List.of() : List.copyOf(tags);
        ownerLinks = ownerLinks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ownerLinks));
    }
}
