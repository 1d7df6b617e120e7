package dev.gust.webserver.ui;

import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.views.DagListQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The DAG list, the web UI's home page: the active DAGs (searchable, filtered by tag, a page of
 * {@value #PAGE_SIZE} at a time) with their schedule, next run, the states of their latest runs,
 * paused toggle, trigger button and a mark on DAGs with DAG warnings (and a notice above the
 * list counting them). Four statements per page whatever the number of DAGs; the next run is
 * the one the scheduler recorded on the DAG's row; a DAG scheduled on datasets also shows how
 * many of them were updated since its last dataset-triggered run ("on datasets 1 of 2 updated").
 * The table updates itself in place (htmx asks for it alone, {@code HX-Target: dag-list-live}).
 */
public final class DagListPage {

    static final int PAGE_SIZE = 100;

    /** A row as the template shows it. */
    public record Row(
            DagListQuery.Row dag, Instant nextRun, int warnings, DatasetRepository.ConsumerProgress datasets) {

        /** The DAG's owners, each linked where its owner_links say so. */
        public List<Owners.Owner> owners() {
            return Owners.of(dag.owners(), dag.ownerLinks());
        }
    }

    private final Pages pages;
    private final DagListQuery query;
    private final DagWarningRepository warnings;
    private final DatasetRepository datasets;

    public DagListPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.query = new DagListQuery(services.jdbc());
        this.warnings = services.stores().dagWarnings();
        this.datasets = services.stores().datasets();
    }

    public void show(Context ctx) {
        String search = ctx.queryParam("q");
        String tag = ctx.queryParam("tag");
        int page = Math.max(1, intParam(ctx, "page", 1));
        DagListQuery.Page result = query.page(search, tag, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        // a paused DAG's next run would not be created, so none is shown (Airflow greys it out)
        Map<String, Integer> warningCounts = warnings.countsByDag();
        Map<String, DatasetRepository.ConsumerProgress> progress = datasets.progressByDag();
        List<Row> rows = result.rows().stream()
                .map(row -> new Row(
                        row,
                        row.paused() ? null : row.nextRunCreateAfter(),
                        warningCounts.getOrDefault(row.dagId(), 0),
                        progress.get(row.dagId())))
                .toList();
        int pagesInAll = Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        // A running run (or a queued one of an active DAG) changes soon: the list updates itself
        // every few seconds then, and every half minute otherwise (new runs, the scheduler's).
        boolean active = rows.stream()
                .anyMatch(row -> row.dag().recentRunStates().stream()
                        .anyMatch(state -> LiveUpdates.moving(state, row.dag().paused())));
        String liveHref = "/?q=" + Fmt.segment(search == null ? "" : search) + "&tag="
                + Fmt.segment(tag == null ? "" : tag) + "&page=" + page;
        pages.html(
                ctx,
                "dag-list-live".equals(ctx.header("HX-Target")) ? "dag_list_table" : "dag_list",
                Map.of(
                        "active",
                        active,
                        "liveHref",
                        liveHref,
                        "rows",
                        rows,
                        "total",
                        result.total(),
                        "q",
                        search == null ? "" : search,
                        "tag",
                        tag == null ? "" : tag,
                        "tags",
                        query.tags(),
                        "page",
                        page,
                        "pages",
                        pagesInAll,
                        "dagsWithWarnings",
                        warningCounts.size()));
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
