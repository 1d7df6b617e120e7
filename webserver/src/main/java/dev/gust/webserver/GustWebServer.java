package dev.gust.webserver;

import dev.gust.webserver.health.HealthProbe;
import dev.gust.webserver.ui.DagListPage;
import io.javalin.Javalin;

/**
 * The web server: {@code /health} for the ALB target group and the pages people use. It only
 * reads and writes the metadata database; it never talks to a scheduler.
 */
public final class GustWebServer implements AutoCloseable {

    private final Javalin app;

    public GustWebServer(HealthProbe health, DagListPage dagList) {
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = true;
        });
        app.get("/health", ctx -> {
            var report = health.check();
            ctx.status(report.httpStatus()).json(report.body());
        });
        app.get("/", ctx -> ctx.html(dagList.render()));
    }

    /** Starts listening; returns the port (useful when 0 asked for any free one). */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
