package dev.gust.webserver.ui;

import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.views.DagListQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DAG list, the web UI's home page: the active DAGs (searchable, filtered by tag and by the
 * tabs All / Active / Paused / Failed last run with their counts, sorted by a column, a page of
 * {@value #PAGE_SIZE} at a time) with their schedule, last run (date and state), next run, the
 * number of runs in each state (each a link to those runs), the states of their latest runs,
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
    private final ImportErrorRepository importErrors;

    public DagListPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.query = new DagListQuery(services.jdbc());
        this.warnings = services.stores().dagWarnings();
        this.datasets = services.stores().datasets();
        this.importErrors = services.stores().importErrors();
    }

    /** A status tab (All, Active, Paused, Failed last run) with its count and address. */
    public record Tab(String param, String label, int count, String href, boolean selected) {}

    /** A sortable column's header link: where it leads (the other direction when it is the sorted one). */
    public record SortLink(String href, String arrow) {}

    /** What the address asks for: search, tag, tab, order and page (all server-side, so the list works without JS). */
    record View(
            String q, String tag, DagListQuery.Status status, DagListQuery.Sort sort, boolean descending, int page) {

        static View of(Context ctx) {
            String q = ctx.queryParam("q");
            String tag = ctx.queryParam("tag");
            return new View(
                    q == null ? "" : q,
                    tag == null ? "" : tag,
                    DagListQuery.Status.of(ctx.queryParam("status")),
                    DagListQuery.Sort.of(ctx.queryParam("sort")),
                    "desc".equals(ctx.queryParam("dir")),
                    Math.max(1, intParam(ctx, "page", 1)));
        }

        /** This view's address with some parts changed; defaults are left out. */
        String href(DagListQuery.Status status, DagListQuery.Sort sort, boolean descending, int page) {
            Map<String, String> params = new LinkedHashMap<>();
            if (!q.isEmpty()) {
                params.put("q", q);
            }
            if (!tag.isEmpty()) {
                params.put("tag", tag);
            }
            if (status != DagListQuery.Status.ALL) {
                params.put("status", status.param());
            }
            if (sort != DagListQuery.Sort.DAG_ID || descending) {
                params.put("sort", sort.param());
                params.put("dir", descending ? "desc" : "asc");
            }
            if (page > 1) {
                params.put("page", String.valueOf(page));
            }
            return params.isEmpty() ? "/" : "/?" + RunFilter.query(params);
        }

        String href() {
            return href(status, sort, descending, page);
        }

        String pageHref(int other) {
            return href(status, sort, descending, other);
        }

        SortLink sortLink(DagListQuery.Sort column) {
            boolean sorted = column == sort;
            // a first click on a date sorts newest first (what a user looks for), on a name A to Z
            boolean firstDescending = column == DagListQuery.Sort.LAST_RUN;
            boolean descendingNext = sorted ? !descending : firstDescending;
            return new SortLink(href(status, column, descendingNext, 1), sorted ? (descending ? " ▼" : " ▲") : "");
        }
    }

    public void show(Context ctx) {
        View view = View.of(ctx);
        DagListQuery.Page result = query.page(new DagListQuery.Request(
                view.q(),
                view.tag(),
                view.status(),
                view.sort(),
                view.descending(),
                PAGE_SIZE,
                (view.page() - 1) * PAGE_SIZE));
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
        List<Tab> tabs = Arrays.stream(DagListQuery.Status.values())
                .map(status -> new Tab(
                        status.param(),
                        switch (status) {
                            case ALL -> "All";
                            case ACTIVE -> "Active";
                            case PAUSED -> "Paused";
                            case FAILED -> "Failed last run";
                        },
                        result.counts().of(status),
                        view.href(status, view.sort(), view.descending(), 1),
                        status == view.status()))
                .toList();
        Map<String, SortLink> sortLinks = new HashMap<>();
        for (DagListQuery.Sort column : DagListQuery.Sort.values()) {
            sortLinks.put(column.param(), view.sortLink(column));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("active", active);
        model.put("liveHref", view.href());
        model.put("rows", rows);
        model.put("total", result.total());
        model.put("q", view.q());
        model.put("tag", view.tag());
        model.put("status", view.status().param());
        model.put("sort", view.sort().param());
        model.put("dir", view.descending() ? "desc" : "asc");
        model.put("tabs", tabs);
        model.put("sortLinks", sortLinks);
        model.put("tags", query.tags());
        model.put("page", view.page());
        model.put("pages", pagesInAll);
        model.put("previousHref", view.pageHref(view.page() - 1));
        model.put("nextHref", view.pageHref(view.page() + 1));
        model.put("runStates", RunFilter.STATES);
        model.put("dagsWithWarnings", warningCounts.size());
        model.put("importErrors", importErrors.list());
        pages.html(ctx, "dag-list-live".equals(ctx.header("HX-Target")) ? "dag_list_table" : "dag_list", model);
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
