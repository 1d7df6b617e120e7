package dev.gust.webserver.ui;

import dev.gust.core.store.views.AuditLogQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The audit tab of a DAG (Airflow's per-DAG audit log): the audit log filtered to the DAG, who
 * did what and when, newest first, a page at a time, optionally of one event.
 */
public final class DagAuditPage {

    static final int PAGE_SIZE = 50;

    private final Pages pages;
    private final DagPage dagPage;
    private final AuditLogQuery query;

    public DagAuditPage(Pages pages, DagPage dagPage, WebServices services) {
        this.pages = pages;
        this.dagPage = dagPage;
        this.query = new AuditLogQuery(services.jdbc());
    }

    public void show(Context ctx) {
        DagPage.Header header = dagPage.header(ctx);
        String event = ctx.queryParam("event");
        int page = Math.max(1, DagListPage.intParam(ctx, "page", 1));
        AuditLogQuery.Page result = query.page(header.dag().dagId(), event, null, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        int pagesInAll = Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        String query = "?event=" + Fmt.segment(event == null ? "" : event) + "&page=";
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "audit");
        model.put("events", result.events());
        model.put("total", result.total());
        model.put("event", event == null ? "" : event);
        model.put("eventNames", this.query.eventNames(header.dag().dagId()));
        model.put("page", page);
        model.put("prevHref", page > 1 ? header.base() + "/audit-log" + query + (page - 1) : null);
        model.put("nextHref", page < pagesInAll ? header.base() + "/audit-log" + query + (page + 1) : null);
        pages.html(ctx, "dag_audit", model);
    }
}
