package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.schedule.TimeRestriction;
import dev.gust.core.schedule.Timetable;
import dev.gust.core.store.views.DagListQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The DAG list, the web UI's home page: the active DAGs (searchable, filtered by tag, a page of
 * {@value #PAGE_SIZE} at a time) with their schedule, next run, the states of their latest runs,
 * paused toggle and trigger button. Two statements per page whatever the number of DAGs; the next
 * run comes from the cached DAG definitions.
 */
public final class DagListPage {

    static final int PAGE_SIZE = 100;

    /** A row as the template shows it. */
    public record Row(DagListQuery.Row dag, Instant nextRun) {
    }

    private final Pages pages;
    private final DagListQuery query;
    private final DagDefinitions definitions;
    private final boolean catchupByDefault;

    public DagListPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.query = new DagListQuery(services.jdbc());
        this.definitions = services.dagDefinitions();
        this.catchupByDefault = services.config().core().catchupByDefault();
    }

    public void show(Context ctx) {
        String search = ctx.queryParam("q");
        String tag = ctx.queryParam("tag");
        int page = Math.max(1, intParam(ctx, "page", 1));
        DagListQuery.Page result = query.page(search, tag, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        Map<String, DagDefinitions.Loaded> loaded = definitions(result.rows());
        Instant now = Instant.now();
        List<Row> rows = result.rows().stream()
                .map(row -> new Row(row, nextRun(row, loaded.get(row.dagId()), now))).toList();
        int pagesInAll = Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        pages.html(ctx, "dag_list", Map.of(
                "rows", rows,
                "total", result.total(),
                "q", search == null ? "" : search,
                "tag", tag == null ? "" : tag,
                "tags", query.tags(),
                "page", page,
                "pages", pagesInAll));
    }

    /**
     * The definitions of the listed DAGs in one call; should one stored DAG be unreadable (written
     * by another Gust version), the others still get their next run and that one shows none.
     */
    private Map<String, DagDefinitions.Loaded> definitions(List<DagListQuery.Row> rows) {
        try {
            return definitions.current(rows.stream().map(DagListQuery.Row::dagId).toList());
        } catch (IllegalArgumentException e) {
            Map<String, DagDefinitions.Loaded> readable = new java.util.HashMap<>();
            for (DagListQuery.Row row : rows) {
                try {
                    definitions.get(row.dagId()).ifPresent(d -> readable.put(row.dagId(), d));
                } catch (IllegalArgumentException unreadable) {
                    // left out: no next run for this one
                }
            }
            return readable;
        }
    }

    private Instant nextRun(DagListQuery.Row row, DagDefinitions.Loaded loaded, Instant now) {
        if (loaded == null || row.paused()) {
            return null;
        }
        Dag dag = loaded.dag();
        DataInterval last = row.lastScheduledIntervalStart() == null ? null
                : new DataInterval(row.lastScheduledIntervalStart(), row.lastScheduledIntervalEnd());
        return Timetable.of(dag).nextRunCreationTime(last, TimeRestriction.of(dag, catchupByDefault), now).orElse(null);
    }

    static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
