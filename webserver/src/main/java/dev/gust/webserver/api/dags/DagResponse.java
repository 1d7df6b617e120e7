package dev.gust.webserver.api.dags;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.store.dags.DagQuery;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.webserver.api.TimeDelta;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Airflow's {@code DAG} schema. Fields that have no meaning in Gust (SubDAGs, pickling,
 * scheduler locks) are present and null where the spec allows null, so clients that read them do
 * not break; {@code file_token} is the DAG file's opaque token ({@link DagFileTokens}).
 * The next-run fields are filled for one DAG ({@code /dags/{dag_id}} and its details) and null in
 * listings: computing them needs each DAG's timetable and latest run, which a listing of 100
 * DAGs does not pay for. {@code bundle_version} is Airflow 3's: the version of the DAG bundle
 * ({@code gust deploy dags}) the DAG was last parsed from, null for a DAG from a plain folder.
 */
public record DagResponse(
        String dagId,
        String dagDisplayName,
        String rootDagId,
        boolean isPaused,
        boolean isActive,
        boolean isSubdag,
        Instant lastParsedTime,
        Instant lastPickled,
        Instant lastExpired,
        Boolean schedulerLock,
        String pickleId,
        String defaultView,
        String fileloc,
        String fileToken,
        List<String> owners,
        String description,
        Object scheduleInterval,
        String timetableDescription,
        List<Tag> tags,
        int maxActiveTasks,
        int maxActiveRuns,
        Integer maxConsecutiveFailedDagRuns,
        boolean hasTaskConcurrencyLimits,
        boolean hasImportErrors,
        Instant nextDagrun,
        Instant nextDagrunDataIntervalStart,
        Instant nextDagrunDataIntervalEnd,
        Instant nextDagrunCreateAfter,
        String bundleVersion) {

    /** Airflow's {@code Tag}: {@code {"name": ...}}. */
    public record Tag(String name) {}

    /** Airflow's collection: {@code {"dags": [...], "total_entries": n}}. */
    public record Collection(List<DagResponse> dags, long totalEntries) {}

    /**
     * A listed DAG, with the next run the scheduler last recorded for it (Airflow's next_dagrun
     * fields) and the pause threshold of its definition (null when the definition is not at hand).
     */
    public static DagResponse of(DagQuery.Listed listed, Dag definition) {
        StoredDag d = listed.dag();
        Instant nextStart = d.nextDagrun() == null ? null : d.nextDagrun().start();
        Instant nextEnd = d.nextDagrun() == null ? null : d.nextDagrun().end();
        return new DagResponse(
                d.dagId(),
                d.displayName(),
                null,
                d.paused(),
                d.active(),
                false,
                d.lastParsedAt(),
                null,
                null,
                null,
                null,
                d.defaultView() != null ? d.defaultView() : "grid",
                d.fileloc(),
                DagFileTokens.tokenOf(d.fileloc()),
                owners(d.owners()),
                d.description(),
                scheduleInterval(d.scheduleExpression()),
                d.timetableDescription(),
                d.tags().stream().map(Tag::new).toList(),
                d.maxActiveTasks(),
                d.maxActiveRuns(),
                definition == null ? null : definition.maxConsecutiveFailedDagRuns(),
                definition != null
                        && definition.tasks().stream()
                                .anyMatch(t -> t.maxActiveTisPerDag() != null || t.maxActiveTisPerDagrun() != null),
                listed.hasImportErrors(),
                nextStart,
                nextStart,
                nextEnd,
                nextEnd,
                d.bundleVersion());
    }

    static List<String> owners(String owners) {
        if (owners == null || owners.isBlank()) {
            return List.of();
        }
        if (owners.indexOf(',') < 0) {
            return List.of(owners.strip());
        }
        return Arrays.stream(owners.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * Airflow's {@code ScheduleInterval}: a {@code CronExpression} (presets too), a
     * {@code TimeDelta} for fixed intervals, null for manual-only and dataset-driven DAGs.
     */
    static Object scheduleInterval(String expression) {
        if (expression == null) {
            return null;
        }
        // A listing of 1,000 DAGs holds few distinct schedules: work each out once.
        if (SCHEDULES.size() > 10_000) {
            SCHEDULES.clear();
        }
        Object schedule = SCHEDULES.computeIfAbsent(expression, DagResponse::parseSchedule);
        return schedule == NO_SCHEDULE ? null : schedule;
    }

    /** Stands for null in the cache, which cannot hold nulls. */
    private static final Object NO_SCHEDULE = new Object();

    private static final java.util.Map<String, Object> SCHEDULES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.regex.Pattern FIXED_INTERVAL =
            java.util.regex.Pattern.compile("(\\d+h)?(\\d+m)?([\\d.]+s)?");

    private static Object parseSchedule(String expression) {
        if (expression.isBlank() || expression.startsWith("datasets:") || expression.startsWith("events:")) {
            return NO_SCHEDULE;
        }
        if (FIXED_INTERVAL.matcher(expression).matches()) {
            // Stored as a Duration's text without its "PT" (DagFolderSync.scheduleExpression).
            return TimeDelta.of(Duration.parse("PT" + expression.toUpperCase(java.util.Locale.ROOT)));
        }
        return new Cron("CronExpression", expression);
    }

    /** Airflow's {@code CronExpression}. */
    public record Cron(@JsonProperty("__type") String type, String value) {}
}
