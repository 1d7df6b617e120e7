package dev.gust.cli;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import dev.gust.core.store.EmbeddedPostgresServer;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gust standalone}: everything on one machine for a laptop. The metadata database
 * (embedded PostgreSQL unless {@code database.url} is set, migrated on start), the scheduler (DAG
 * folder sync, schedules, the local executor) and the web server. Stops cleanly on Ctrl+C or SIGTERM.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = "Run Gust on this machine: embedded PostgreSQL, the scheduler, the web UI.")
final class StandaloneCommand implements Runnable {

    static final String OWN_DATABASE_CONNECTION = "gust_db";

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, description = "Web server port (default: webserver.port).")
    Integer port;

    @Override
    public void run() {
        GustConfig config = GustCommand.of(spec).daemonConfig();
        PrintWriter out = spec.commandLine().getOut();
        Database database = MetadataDatabase.open(config, spec.commandLine().getErr());
        database.embeddedServer().ifPresent(server -> defineOwnDatabaseConnection(config, database, server.port()));
        SchedulerCommand.Components components = SchedulerCommand.Components.start(config, database, out);
        GustWebServer webServer = new GustWebServer(WebServices.create(config, database.jdbc()));
        components.alsoClose(webServer);
        int boundPort = webServer.start(config.webserver().host(), port != null ? port : config.webserver().port());
        out.printf("gust: web UI at http://localhost:%d (Ctrl+C stops Gust)%n", boundPort);
        out.flush();
        components.awaitShutdown(spec.commandLine().getErr());
    }

    /**
     * Like Airflow's {@code airflow_db} default connection: {@code gust_db} points at the embedded
     * database, so that SQL examples run out of the box. Rewritten on each start, because the
     * embedded server's port may change.
     */
    private static void defineOwnDatabaseConnection(GustConfig config, Database database, int port) {
        ConnectionRepository connections = new ConnectionRepository(database.jdbc(), EncryptionKeySource.cipher(config));
        connections.delete(OWN_DATABASE_CONNECTION);
        connections.add(new Connection(OWN_DATABASE_CONNECTION, "postgres",
                "Gust's own metadata database (made by gust standalone)", "localhost", "postgres",
                EmbeddedPostgresServer.USER, null, port, null));
    }
}
