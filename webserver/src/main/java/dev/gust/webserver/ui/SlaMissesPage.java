package dev.gust.webserver.ui;

import dev.gust.core.store.sla.SlaMiss;
import dev.gust.core.store.sla.SlaMissRepository;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Browse, SLA misses (Airflow 2's page): every recorded SLA and deadline miss, newest first, of
 * one DAG or all, paged; plain HTML that reads without JavaScript.
 */
public final class SlaMissesPage {

    static final int PAGE_SIZE = 100;

    private final Pages pages;
    private final SlaMissRepository misses;

    public SlaMissesPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.misses = services.stores().slaMisses();
    }

    public void show(Context ctx) {
        String dagId = ctx.queryParam("dag_id");
        if (dagId != null && dagId.isBlank()) {
            dagId = null;
        }
        int page = Math.max(1, DagListPage.intParam(ctx, "page", 1));
        List<SlaMiss> rows = misses.list(dagId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        int total = misses.count(dagId);
        Map<String, Object> model = new HashMap<>();
        model.put("misses", rows);
        model.put("total", total);
        model.put("dagId", dagId == null ? "" : dagId);
        model.put("dagIds", misses.dagIds());
        model.put("page", page);
        model.put("pages", Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE));
        pages.html(ctx, "sla_misses", model);
    }
}
