package dev.gust.webserver.ui;

import dev.gust.core.store.datasets.Dataset;
import dev.gust.core.store.datasets.DatasetEvent;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.query.Page;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Datasets page: every dataset (filtered by URI, {@value #PAGE_SIZE} at a time) with the
 * tasks that update it, the DAGs scheduled on it and its latest {@value #LATEST} events (when,
 * and which run of which task produced them, or "outside" for an event created through the API).
 */
public final class DatasetsPage {

    static final int PAGE_SIZE = 100;
    static final int LATEST = 5;

    /** A dataset as the template shows it. */
    public record Row(Dataset dataset, List<DatasetEvent> latestEvents) {}

    private final Pages pages;
    private final DatasetRepository datasets;

    public DatasetsPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.datasets = services.stores().datasets();
    }

    public void show(Context ctx) {
        String search = ctx.queryParam("q");
        int page = Math.max(1, DagListPage.intParam(ctx, "page", 1));
        Page<Dataset> found = datasets.page(
                search == null || search.isBlank() ? null : search.strip(),
                List.of(),
                DatasetRepository.datasetOrder("uri"),
                PAGE_SIZE,
                (page - 1) * PAGE_SIZE);
        Map<Long, List<DatasetEvent>> latest =
                datasets.latestEvents(found.items().stream().map(Dataset::id).toList(), LATEST);
        Map<String, Object> model = new HashMap<>();
        model.put(
                "rows",
                found.items().stream()
                        .map(d -> new Row(d, latest.getOrDefault(d.id(), List.of())))
                        .toList());
        model.put("total", found.totalEntries());
        model.put("q", search == null ? "" : search);
        model.put("page", page);
        model.put("pages", Math.max(1, (found.totalEntries() + PAGE_SIZE - 1) / PAGE_SIZE));
        pages.html(ctx, "datasets", model);
    }
}
