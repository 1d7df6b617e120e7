package dev.gust.webserver.ui;

import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.Role;
import io.javalin.Javalin;

/** The pages of the web UI. */
public final class UiRoutes {

    private UiRoutes() {
    }

    public static void register(Javalin app, WebServices services) {
        DagListPage dagList = new DagListPage(new DagRepository(services.jdbc()),
                new ImportErrorRepository(services.jdbc()), services.templates());
        app.get("/", ctx -> ctx.html(dagList.render()), Role.VIEWER);
    }
}
