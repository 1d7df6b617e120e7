package dev.gust.core.store.views;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.OwnerLinksJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One page of the DAG list in one statement: the active DAGs matching a search, a tag and a status
 * tab (all, active, paused, failed last run), sorted by a column, each with the states of its
 * latest runs, its last run (date and state), its number of runs in each state and the data
 * interval of its latest scheduled run (what the next run follows on), plus the number of DAGs on
 * each status tab for paging and the tabs' counts. No query per DAG: the last run is what the
 * dag row records of it (kept by triggers on {@code dag_run}, V23), so tabs and sorting read the
 * dag table alone, and only the page's rows get their recent runs and counts looked up.
 */
public final class DagListQuery {

    /** How many of each DAG's latest runs the list shows as coloured marks. */
    public static final int RECENT_RUNS = 8;

    /** The DAG list's tabs, as Airflow's All / Active / Paused, plus the DAGs whose last run failed. */
    public enum Status {
        ALL,
        ACTIVE,
        PAUSED,
        FAILED;

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The tab a query parameter names; anything else is All, so an old bookmark still opens. */
        public static Status of(String param) {
            for (Status status : values()) {
                if (status.param().equals(param)) {
                    return status;
                }
            }
            return ALL;
        }
    }

    /** The columns the list sorts by; each is an SQL expression over the matching rows, never user text. */
    public enum Sort {
        DAG_ID("m.dag_id"),
        OWNER("lower(m.owners)"),
        NEXT_RUN("m.next_dagrun_data_interval_end"),
        LAST_RUN("m.last_run_date");

        private final String expression;

        Sort(String expression) {
            this.expression = expression;
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The column a query parameter names; anything else is the DAG id. */
        public static Sort of(String param) {
            for (Sort sort : values()) {
                if (sort.param().equals(param)) {
                    return sort;
                }
            }
            return DAG_ID;
        }

        String orderBy(boolean descending) {
            // DAGs without a value (no run yet, no next run) go last either way; the id breaks ties
            return expression + (descending ? " DESC" : " ASC") + " NULLS LAST, m.dag_id";
        }
    }

    /** What the list asks for: search and tag (null or blank for any), tab, order and page. */
    public record Request(
            String search, String tag, Status status, Sort sort, boolean descending, int limit, int offset) {

        public static Request firstPage(int limit) {
            return new Request(null, null, Status.ALL, Sort.DAG_ID, false, limit, 0);
        }
    }

    /**
     * One DAG's row; {@code recentRunStates} newest first; {@code nextRunCreateAfter} when the
     * scheduler will create its next scheduled run, as it last recorded it (null for none);
     * {@code lastRunDate} and {@code lastRunState} of the run with the latest logical date (null
     * for none); {@code runCounts} the number of its runs in each state that has any.
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
            Map<String, String> ownerLinks,
            Instant lastRunDate,
            String lastRunState,
            Map<String, Integer> runCounts) {

        /** The name people see: the DAG's {@code dag_display_name}, else its id. */
        public String displayName() {
            return dagDisplayName != null ? dagDisplayName : dagId;
        }

        /** The tab the DAG's link opens: its {@code default_view} where Gust has it, else the grid. */
        public String view() {
            return "graph".equals(defaultView) ? "graph" : "grid";
        }
    }

    /** How many matching DAGs each status tab holds. */
    public record StatusCounts(int all, int active, int paused, int failed) {

        public int of(Status status) {
            return switch (status) {
                case ALL -> all;
                case ACTIVE -> active;
                case PAUSED -> paused;
                case FAILED -> failed;
            };
        }
    }

    /** A page of rows, how many DAGs the chosen tab holds in all, and every tab's count. */
    public record Page(List<Row> rows, int total, StatusCounts counts) {}

    private static final String MATCHING = """
            matching AS (
                SELECT d.dag_id, d.is_paused, d.owners, d.next_dagrun_data_interval_end,
                       d.last_run_logical_date AS last_run_date, d.last_run_state
                  FROM dag d
                 WHERE d.is_active
                   AND (CAST(:pattern AS text) IS NULL OR d.dag_id ILIKE :pattern OR d.description ILIKE :pattern
                        OR d.owners ILIKE :pattern OR d.dag_display_name ILIKE :pattern)
                   AND (CAST(:tag AS text) IS NULL OR CAST(:tag AS text) = ANY (d.tags))),
            counted AS (
                SELECT m.*, count(*) OVER () AS n_all,
                       count(*) FILTER (WHERE NOT m.is_paused) OVER () AS n_active,
                       count(*) FILTER (WHERE m.is_paused) OVER () AS n_paused,
                       count(*) FILTER (WHERE m.last_run_state = :failed) OVER () AS n_failed
                  FROM matching m)""";

    private static final String IN_TAB = """
            (NOT :onlyActive OR NOT m.is_paused) AND (NOT :onlyPaused OR m.is_paused)
                   AND (NOT :onlyFailed OR m.last_run_state = :failed)""";

    private final Jdbc jdbc;

    public DagListQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param search part of a DAG id, display name, description or owner (case-insensitive), or null/blank for all
     * @param tag a tag the DAG must have, or null/blank for any
     */
    public Page page(String search, String tag, int limit, int offset) {
        return page(new Request(search, tag, Status.ALL, Sort.DAG_ID, false, limit, offset));
    }

    public Page page(Request request) {
        Params params = params(request)
                .and("recent", RECENT_RUNS)
                .and("limit", request.limit())
                .and("offset", request.offset());
        int[] total = {0};
        StatusCounts[] counts = {new StatusCounts(0, 0, 0, 0)};
        String order = request.sort().orderBy(request.descending());
        // The page is cut first over narrow rows (the window counts see every match, as they run
        // before LIMIT), and only its rows get their other columns and their runs looked up: that
        // cost follows the page size, not the DAG count.
        String sql = "WITH " + MATCHING + ",\n" + """
                page AS (
                    SELECT m.*, count(*) OVER () AS total FROM counted m
                     WHERE %s
                     ORDER BY %s
                     LIMIT :limit OFFSET :offset)
                SELECT m.*, d.fileloc, d.description, d.tags, d.schedule_expression, d.timetable_description,
                       d.dag_display_name, d.default_view, CAST(d.owner_links AS text) AS owner_links_text,
                       ARRAY(SELECT r.state FROM dag_run r WHERE r.dag_id = m.dag_id
                              ORDER BY r.logical_date DESC LIMIT :recent) AS recent_states,
                       ARRAY(SELECT r.state || '=' || count(*) FROM dag_run r WHERE r.dag_id = m.dag_id
                              GROUP BY r.state ORDER BY r.state) AS run_counts
                  FROM page m JOIN dag d ON d.dag_id = m.dag_id
                 ORDER BY %s""".formatted(IN_TAB, order, order);
        List<Row> rows = jdbc.query(sql, params, row -> {
            total[0] = row.getInt("total");
            counts[0] = new StatusCounts(
                    row.getInt("n_all"), row.getInt("n_active"), row.getInt("n_paused"), row.getInt("n_failed"));
            return new Row(
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
                    OwnerLinksJson.read(row.getString("owner_links_text")),
                    Jdbc.instant(row, "last_run_date"),
                    row.getString("last_run_state"),
                    runCounts(Jdbc.textList(row, "run_counts")));
        });
        if (rows.isEmpty()) {
            // An empty tab or past the last page (the list shrank): the counts are still worth telling.
            counts[0] = counts(request);
            total[0] = counts[0].of(request.status());
        }
        return new Page(new ArrayList<>(rows), total[0], counts[0]);
    }

    /** Every tag of an active DAG, for the tag filter. */
    public List<String> tags() {
        return jdbc.query(
                "SELECT DISTINCT unnest(tags) AS tag FROM dag WHERE is_active ORDER BY tag",
                Params.none(),
                row -> row.getString("tag"));
    }

    private StatusCounts counts(Request request) {
        Optional<StatusCounts> counts = jdbc.queryOne(
                "WITH " + MATCHING + "\n" + """
                SELECT count(*) AS n_all, count(*) FILTER (WHERE NOT m.is_paused) AS n_active,
                       count(*) FILTER (WHERE m.is_paused) AS n_paused,
                       count(*) FILTER (WHERE m.last_run_state = :failed) AS n_failed
                  FROM matching m""",
                params(request),
                row -> new StatusCounts(
                        row.getInt("n_all"), row.getInt("n_active"), row.getInt("n_paused"), row.getInt("n_failed")));
        return counts.orElse(new StatusCounts(0, 0, 0, 0));
    }

    private static Params params(Request request) {
        String search = request.search();
        String tag = request.tag();
        return Params.of("pattern", search == null || search.isBlank() ? null : "%" + escapeLike(search.trim()) + "%")
                .and("tag", tag == null || tag.isBlank() ? null : tag.trim())
                .and("onlyActive", request.status() == Status.ACTIVE)
                .and("onlyPaused", request.status() == Status.PAUSED)
                .and("onlyFailed", request.status() == Status.FAILED)
                .and("failed", DagRunState.FAILED);
    }

    private static Map<String, Integer> runCounts(List<String> pairs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.lastIndexOf('=');
            counts.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
        }
        return counts;
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
