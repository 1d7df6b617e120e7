package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.OwnerLinksJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page of the DAG list: the active DAGs matching a search and a tag, each with the states of
 * its latest runs and the data interval of its latest scheduled run (what the next run follows
 * on), plus the total number of matches for paging, in two statements (the page, the count). No
 * query per DAG.
 */
public final class DagListQuery {

    /** How many of each DAG's latest runs the list shows as coloured marks. */
    public static final int RECENT_RUNS = 8;

    /**
     * One DAG's row; {@code recentRunStates} newest first; {@code nextRunCreateAfter} when the
     * scheduler will create its next scheduled run, as it last recorded it (null for none).
     */
    public record Row(
            String dagId,
            boolean paused,
            String fileloc,
            String description,
            String owners,
            List<String> tags,
            String scheduleExpression,
            String timetableDescription,
            List<String> recentRunStates,
            Instant nextRunCreateAfter,
            String dagDisplayName,
            String defaultView,
            Map<String, String> ownerLinks) {

        /** The name people see: the DAG's {@code dag_display_name}, else its id. */
        public String displayName() {
            return dagDisplayName != null ? dagDisplayName : dagId;
        }

        /** The tab the DAG's link opens: its {@code default_view} where Gust has it, else the grid. */
        public String view() {
            return "graph".equals(defaultView) ? "graph" : "grid";
        }
    }

    /** A page of rows and how many DAGs match in all. */
    public record Page(List<Row> rows, int total) {}

    private final Jdbc jdbc;

    public DagListQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param search part of a DAG id, display name, description or owner (case-insensitive), or null/blank for all
     * @param tag a tag the DAG must have, or null/blank for any
     */
    public Page page(String search, String tag, int limit, int offset) {
        String pattern = search == null || search.isBlank() ? null : "%" + escapeLike(search.trim()) + "%";
        String wantedTag = tag == null || tag.isBlank() ? null : tag.trim();
        // The page's ids come first, from the index of active DAGs alone (no filter: an index-only
        // scan), and only those rows are read with their latest runs; the total is counted apart,
        // from the same index: the cost follows the page size, not the number of DAGs.
        List<Row> rows = jdbc.query(
                """
                WITH ids AS (
                    SELECT d.dag_id
                      FROM dag d
                     WHERE d.is_active
                       AND (CAST(:pattern AS text) IS NULL OR d.dag_id ILIKE :pattern OR d.description ILIKE :pattern
                            OR d.owners ILIKE :pattern OR d.dag_display_name ILIKE :pattern)
                       AND (CAST(:tag AS text) IS NULL OR CAST(:tag AS text) = ANY (d.tags))
                     ORDER BY d.dag_id
                     LIMIT :limit OFFSET :offset)
                SELECT d.dag_id, d.is_paused, d.fileloc, d.description, d.owners, d.tags, d.schedule_expression,
                       d.timetable_description, d.next_dagrun_data_interval_end, d.dag_display_name,
                       d.default_view, d.owner_links::text AS owner_links,
                       ARRAY(SELECT r.state FROM dag_run r WHERE r.dag_id = d.dag_id
                              ORDER BY r.logical_date DESC LIMIT :recent) AS recent_states
                  FROM ids JOIN dag d ON d.dag_id = ids.dag_id
                 ORDER BY d.dag_id""",
                Params.of("pattern", pattern)
                        .and("tag", wantedTag)
                        .and("recent", RECENT_RUNS)
                        .and("limit", limit)
                        .and("offset", offset),
                row -> new Row(
                        row.getString("dag_id"),
                        row.getBoolean("is_paused"),
                        row.getString("fileloc"),
                        row.getString("description"),
                        row.getString("owners"),
                        Jdbc.textList(row, "tags"),
                        row.getString("schedule_expression"),
                        row.getString("timetable_description"),
                        Jdbc.textList(row, "recent_states"),
                        Jdbc.instant(row, "next_dagrun_data_interval_end"),
                        row.getString("dag_display_name"),
                        row.getString("default_view"),
                        OwnerLinksJson.read(row.getString("owner_links"))));
        // a partial, non-empty page is the last one: no need to count
        int total = !rows.isEmpty() && rows.size() < limit ? offset + rows.size() : count(pattern, wantedTag);
        return new Page(new ArrayList<>(rows), total);
    }

    /** Every tag of an active DAG, for the tag filter. */
    public List<String> tags() {
        return jdbc.query(
                "SELECT DISTINCT unnest(tags) AS tag FROM dag WHERE is_active ORDER BY tag",
                Params.none(),
                row -> row.getString("tag"));
    }

    private int count(String pattern, String tag) {
        return jdbc.queryOne("""
                SELECT count(*) AS n FROM dag d
                 WHERE d.is_active
                   AND (CAST(:pattern AS text) IS NULL OR d.dag_id ILIKE :pattern OR d.description ILIKE :pattern
                        OR d.owners ILIKE :pattern OR d.dag_display_name ILIKE :pattern)
                   AND (CAST(:tag AS text) IS NULL OR CAST(:tag AS text) = ANY (d.tags))""", Params.of("pattern", pattern).and("tag", tag), row -> row.getInt("n"))
                .orElse(0);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
