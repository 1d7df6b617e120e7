package dev.gust.cli.servers;

import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.config.GustConfig;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.store.Database;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import java.io.PrintWriter;
import java.net.BindException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gust webserver}: the web UI and the REST API alone, as each webserver container behind
 * the ALB runs it. It keeps serving while the database is away ({@code /health} answers 503, so
 * the ALB stops sending traffic) and stops cleanly, exit 0, on SIGTERM.
 */
@Command(name = "webserver", mixinStandardHelpOptions = true, description = "Run the web UI and the REST API.")
public final class WebserverCommand implements Runnable {

    @Mixin
    MetadataAccess metadata;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "PORT",
            description = "Port (default: webserver.port).")
    Integer port;

    @Option(
            names = {"-H", "--host", "--hostname"},
            paramLabel = "HOST",
            description = "Address to listen on (default: webserver.host).")
    String host;

    @Override
    public void run() {
        GustConfig config = metadata.daemonConfig();
        PrintWriter out = metadata.out();
        PrintWriter err = metadata.err();
        CliContext cli = metadata.open(config);
        Database database = cli.database();
        GustWebServer server;
        int boundPort;
        MetricsExport metrics = MetricsExport.start(config.metrics());
        metrics.metrics().bindConnectionPool(database.dataSource());
        try {
            server = new GustWebServer(WebServices.create(config, database.jdbc(), metrics));
            boundPort = start(
                    server,
                    host != null ? host : config.webserver().host(),
                    port != null ? port : config.webserver().port());
        } catch (RuntimeException e) {
            database.close();
            metrics.close();
            throw e;
        }
        out.printf("gust: web server at http://localhost:%d (Ctrl+C or SIGTERM stops it)%n", boundPort);
        if (cli.stores().users().count() == 0) {
            out.println("gust: no users yet; create one with 'gust users create --username admin --role admin'");
        }
        out.flush();
        ShutdownSignal.await();
        err.println("gust: stopping");
        err.flush();
        server.close();
        database.close();
        metrics.close();
        err.println("gust: stopped cleanly");
        err.flush();
    }

    /** Starts listening; a taken port is the user's to fix, said in one line. */
    static int start(GustWebServer server, String host, int port) {
        try {
            return server.start(host, port);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException
                        || cause.getClass().getSimpleName().equals("JavalinBindException")) {
                    server.close();
                    throw new UserError(
                            "port " + port + " for the web server is in use; stop what holds it, or pass --port "
                                    + "or set webserver.port (GUST_WEBSERVER__PORT) to a free port");
                }
            }
            throw e;
        }
    }
}
