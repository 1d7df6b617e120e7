package dev.gust.webserver;

import dev.gust.core.metrics.MetricsExport;
import dev.gust.webserver.api.ApiRoutes;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.auth.WebSecurity;
import dev.gust.webserver.health.HealthProbe;
import dev.gust.webserver.http.JettyErrors;
import dev.gust.webserver.http.NulBytes;
import dev.gust.webserver.http.Problems;
import dev.gust.webserver.ui.UiRoutes;
import dev.gust.webserver.users.UsersPage;
import io.javalin.Javalin;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Server;

/**
 * The web server: {@code /health} for the ALB target group, the web UI and the REST API. It only
 * reads and writes the metadata database; it never talks to a scheduler. Every route declares
 * the least {@link Role} it needs; {@link WebSecurity} enforces it.
 */
public final class GustWebServer implements AutoCloseable {

    private final Javalin app;
    private final MetricsExport metrics;

    public GustWebServer(WebServices services) {
        this.metrics = services.metrics();
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = true;
            // A wrong method on a real path is 405 (Airflow's answer), not "no such endpoint".
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyErrors()));
            WebSecurity.configure(config, services);
        });
        Problems.install(app, services.templates());
        WebSecurity.install(app, services);
        NulBytes.install(app);
        HealthProbe health = new HealthProbe(
                services.jdbc(), services.config().scheduler().healthCheckThreshold(), services.clock());
        app.get(
                "/health",
                ctx -> {
                    var report = health.check();
                    ctx.status(report.httpStatus()).json(report.body());
                },
                Role.PUBLIC);
        UiRoutes.register(app, services);
        ApiRoutes.register(app, services);
        UsersPage.register(app, services);
        if (metrics != null && services.config().metrics().webserverEndpoint()) {
            // the same text as the scheduler's health port, for Ops only: this port is behind the ALB
            app.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()),
                    Role.OP);
        }
    }

    /** Every HTTP route (method, path, roles) as registered, for the authorization tests. */
    public List<Route> routes() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.getEndpoint())
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .map(endpoint -> new Route(endpoint.getMethod().name(), endpoint.getPath(), endpoint.getRoles()))
                .toList();
    }

    /** One registered route. */
    public record Route(String method, String path, Set<RouteRole> roles) {}

    /** Starts listening; returns the port (useful when 0 asked for any free one). */
    public int start(String host, int port) {
        app.start(host, port);
        if (metrics != null) {
            Server jetty = app.jettyServer().server();
            JettyConnectionMetrics.addToAllConnectors(jetty, metrics.registry());
            new JettyServerThreadPoolMetrics(jetty.getThreadPool(), List.of()).bindTo(metrics.registry());
        }
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
