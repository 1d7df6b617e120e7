package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The calendar of a DAG: how many of its runs, by state, have a logical date on each day (UTC)
 * of a span, counted in one statement over the {@code (dag_id, logical_date)} unique index.
 */
public final class RunCalendarQuery {

    /** How many runs of one state fell on one day. */
    public record DayCount(LocalDate day, String state, int runs) {}

    private final Jdbc jdbc;

    public RunCalendarQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The counts of the runs with a logical date in {@code [from, to)}, by day and state. */
    public List<DayCount> days(String dagId, Instant from, Instant to) {
        return jdbc.query(
                """
                SELECT CAST(logical_date AT TIME ZONE 'UTC' AS date) AS day, state, count(*) AS runs
                  FROM dag_run
                 WHERE dag_id = :dagId AND logical_date >= :from AND logical_date < :to
                 GROUP BY 1, 2
                 ORDER BY 1, 2""",
                Params.of("dagId", dagId).and("from", from).and("to", to),
                row -> new DayCount(row.getObject("day", LocalDate.class), row.getString("state"), row.getInt("runs")));
    }
}
