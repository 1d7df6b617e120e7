package dev.gust.webserver.ui;

import dev.gust.core.store.views.AuditLogQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/** The audit log: who did what, when, to which DAG, run and task; filtered, newest first, paged. */
public final class AuditLogPage {

    static final int PAGE_SIZE = 100;

    private final Pages pages;
    private final AuditLogQuery query;

    public AuditLogPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.query = new AuditLogQuery(services.jdbc());
    }

    public void show(Context ctx) {
        String dagId = ctx.queryParam("dag_id");
        String event = ctx.queryParam("event");
        String owner = ctx.queryParam("owner");
        int page = Math.max(1, DagListPage.intParam(ctx, "page", 1));
        AuditLogQuery.Page result = query.page(dagId, event, owner, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        Map<String, Object> model = new HashMap<>();
        model.put("events", result.events());
        model.put("total", result.total());
        model.put("dagId", dagId == null ? "" : dagId);
        model.put("event", event == null ? "" : event);
        model.put("owner", owner == null ? "" : owner);
        model.put("eventNames", query.eventNames());
        model.put("page", page);
        model.put("pages", Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE));
        pages.html(ctx, "audit_log", model);
    }
}
