package dev.gust.webserver.ui;

import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.Role;
import io.javalin.Javalin;

/**
 * The pages of the web UI and their least roles: reading needs Viewer, actions on DAGs and runs
 * need User, variables/connections/pools need Op. State changes are POSTs (with the CSRF field)
 * behind a GET confirmation page.
 */
public final class UiRoutes {

    private UiRoutes() {}

    public static void register(Javalin app, WebServices services) {
        Pages pages = new Pages(services);
        DagListPage dagList = new DagListPage(pages, services);
        DagPage dag = new DagPage(pages, services);
        TaskInstancePage ti = new TaskInstancePage(pages, dag, services);
        RunActions actions = new RunActions(pages, dag, ti, services);
        AuditLogPage auditLog = new AuditLogPage(pages, services);
        SlaMissesPage slaMisses = new SlaMissesPage(pages, services);
        DatasetsPage datasets = new DatasetsPage(pages, services);
        AdminPages admin = new AdminPages(pages, services);
        BrowsePages browse = new BrowsePages(pages, services);
        DashboardPage dashboard = new DashboardPage(pages, services);
        GanttPage gantt = new GanttPage(pages, dag, services);
        TaskDurationPage durations = new TaskDurationPage(pages, dag, services);
        RunCalendarPage calendar = new RunCalendarPage(pages, dag, services);
        DagAuditPage dagAudit = new DagAuditPage(pages, dag, services);
        StaticAssets assets = new StaticAssets();

        app.before(ctx -> ctx.attribute(Pages.STARTED, System.nanoTime()));
        app.exception(PageNotFound.class, (e, ctx) -> pages.notFound(ctx, e.getMessage()));
        app.get("/static/{file}", assets::serve, Role.PUBLIC);

        app.get("/", dagList::show, Role.VIEWER);
        String dagPath = "/dags/{dag_id}";
        app.get(dagPath, dag::open, Role.VIEWER);
        app.get(dagPath + "/grid", dag::grid, Role.VIEWER);
        app.get(dagPath + "/grid/live", new GridLive(dag, services)::live, Role.VIEWER);
        app.get(dagPath + "/graph", dag::graph, Role.VIEWER);
        app.get(dagPath + "/graph/states", dag::graphStates, Role.VIEWER);
        app.get(dagPath + "/code", dag::code, Role.VIEWER);
        app.get(dagPath + "/runs", dag::runList, Role.VIEWER);
        app.get(dagPath + "/details", dag::details, Role.VIEWER);
        app.get(dagPath + "/gantt", gantt::show, Role.VIEWER);
        app.get(dagPath + "/duration", durations::duration, Role.VIEWER);
        app.get(dagPath + "/landing-times", durations::landing, Role.VIEWER);
        app.get(dagPath + "/calendar", calendar::show, Role.VIEWER);
        app.get(dagPath + "/audit-log", dagAudit::show, Role.VIEWER);
        app.get(dagPath + "/pause", actions::confirmPause, Role.USER);
        app.post(dagPath + "/pause", actions::pause, Role.USER);
        app.get(dagPath + "/trigger", actions::triggerForm, Role.USER);
        app.post(dagPath + "/trigger", actions::trigger, Role.USER);
        String runPath = dagPath + "/runs/{run_id}";
        app.get(runPath, dag::runDetails, Role.VIEWER);
        app.post(runPath + "/note", actions::saveNote, Role.USER);
        app.get(runPath + "/clear", actions::confirmClearRun, Role.USER);
        app.post(runPath + "/clear", actions::clearRun, Role.USER);
        app.get(runPath + "/mark", actions::confirmMarkRun, Role.USER);
        app.post(runPath + "/mark", actions::markRun, Role.USER);
        app.get(runPath + "/delete", actions::confirmDeleteRun, Role.USER);
        app.post(runPath + "/delete", actions::deleteRun, Role.USER);
        String tiPath = runPath + "/tasks/{task_id}";
        app.get(tiPath, ti::show, Role.VIEWER);
        app.get(tiPath + "/log", ti::log, Role.VIEWER);
        app.get(tiPath + "/clear", actions::confirmClear, Role.USER);
        app.post(tiPath + "/clear", actions::clear, Role.USER);
        app.get(tiPath + "/mark", actions::confirmMark, Role.USER);
        app.post(tiPath + "/mark", actions::mark, Role.USER);

        app.get("/audit-log", auditLog::show, Role.VIEWER);
        app.get("/sla-misses", slaMisses::show, Role.VIEWER);
        app.get("/datasets", datasets::show, Role.VIEWER);
        app.get("/dashboard", dashboard::show, Role.VIEWER);
        app.get("/browse/runs", browse::runs, Role.VIEWER);
        app.get("/browse/task-instances", browse::taskInstances, Role.VIEWER);
        app.get("/browse/xcoms", browse::xcoms, Role.VIEWER);

        app.get("/variables", admin::variables, Role.OP);
        app.get("/variables/new", admin::variableForm, Role.OP);
        app.post("/variables", admin::saveVariable, Role.OP);
        app.get("/variables/{key}/edit", admin::variableForm, Role.OP);
        app.get("/variables/{key}/delete", admin::confirmDeleteVariable, Role.OP);
        app.post("/variables/{key}/delete", admin::deleteVariable, Role.OP);
        app.get("/connections", admin::connections, Role.OP);
        app.get("/connections/new", admin::connectionForm, Role.OP);
        app.post("/connections", admin::saveConnection, Role.OP);
        app.get("/connections/{conn_id}/edit", admin::connectionForm, Role.OP);
        app.get("/connections/{conn_id}/delete", admin::confirmDeleteConnection, Role.OP);
        app.post("/connections/{conn_id}/delete", admin::deleteConnection, Role.OP);
        app.get("/pools", admin::pools, Role.OP);
        app.get("/pools/new", admin::poolForm, Role.OP);
        app.post("/pools", admin::savePool, Role.OP);
        app.get("/pools/{pool}/edit", admin::poolForm, Role.OP);
        app.get("/pools/{pool}/delete", admin::confirmDeletePool, Role.OP);
        app.post("/pools/{pool}/delete", admin::deletePool, Role.OP);
    }
}
