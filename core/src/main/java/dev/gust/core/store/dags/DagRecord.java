package dev.gust.core.store.dags;

import dev.gust.core.store.datasets.DatasetReferences;
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
 * {@code ownerLinks} maps owner names to links (Airflow's {@code owner_links}); {@code datasets}
 * the datasets its schedule consumes and its tasks update.
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
        Map<String, String> ownerLinks,
        DatasetReferences datasets) {

    public DagRecord {
        Objects.requireNonNull(dagId, "dagId");
        Objects.requireNonNull(fileloc, "fileloc");
        Objects.requireNonNull(serializedJson, "serializedJson");
        Objects.requireNonNull(versionHash, "versionHash");
        tags = tags == null ? List.of() : List.copyOf(tags);
        ownerLinks = ownerLinks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ownerLinks));
        datasets = datasets == null ? DatasetReferences.NONE : datasets;
    }

    /** A DAG that refers to no dataset. */
    public DagRecord(
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
        this(
                dagId,
                fileloc,
                description,
                owners,
                tags,
                scheduleExpression,
                timetableDescription,
                maxActiveRuns,
                maxActiveTasks,
                serializedJson,
                versionHash,
                dagDisplayName,
                defaultView,
                ownerLinks,
                DatasetReferences.NONE);
    }
}
