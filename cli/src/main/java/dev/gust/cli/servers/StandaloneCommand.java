package dev.gust.cli.servers;

import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import dev.gust.core.store.EmbeddedPostgresServer;
import dev.gust.core.store.Stores;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.users.Passwords;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gust standalone}: everything on one machine for a laptop. The metadata database
 * (embedded PostgreSQL unless {@code database.url} is set, migrated on start), the scheduler (DAG
 * folder sync, schedules, the local executor) and the web server; on a database without users it
 * creates an {@code admin} and prints its password once. Stops cleanly on Ctrl+C or SIGTERM.
 */
@Command(
        name = "standalone",
        mixinStandardHelpOptions = true,
        description = "Run Gust on this machine: embedded PostgreSQL, the scheduler, the web UI.")
public final class StandaloneCommand implements Runnable {

    static final String OWN_DATABASE_CONNECTION = "gust_db";
    static final String FIRST_ADMIN = "admin";

    @Mixin
    MetadataAccess metadata;

    @Option(
            names = {"-p", "--port"},
            description = "Web server port (default: webserver.port).")
    Integer port;

    @Override
    public void run() {
        GustConfig config = metadata.daemonConfig().requireExecutorSettings();
        PrintWriter out = metadata.out();
        CliContext cli = metadata.open(config);
        Database database = cli.database();
        database.embeddedServer().ifPresent(server -> defineOwnDatabaseConnection(cli.stores(), server));
        SchedulerCommand.Components components = SchedulerCommand.Components.start(cli, out);
        GustWebServer webServer = new GustWebServer(WebServices.create(config, database.jdbc(), components.metrics()));
        components.alsoClose(webServer);
        createFirstAdmin(cli, out);
        out.flush();
        int boundPort = WebserverCommand.start(
                webServer,
                config.webserver().host(),
                port != null ? port : config.webserver().port());
        out.printf("gust: web UI at http://localhost:%d (Ctrl+C stops Gust)%n", boundPort);
        out.flush();
        components.awaitShutdown(metadata.err());
    }

    /**
     * Like Airflow's standalone: on a database without users, an {@code admin} with a random
     * password, printed this once (only its bcrypt hash is kept). Later starts say how to get in.
     */
    private static void createFirstAdmin(CliContext cli, PrintWriter out) {
        if (cli.stores().users().count() > 0) {
            out.println(
                    "gust: sign in with an existing user ('gust users reset-password --username admin' sets a new password)");
            return;
        }
        String password = Passwords.generate();
        cli.userAccounts().create(FIRST_ADMIN, "admin", null, password, "standalone");
        out.println("gust: created the first user of the web UI (the password is shown only now):");
        out.println("gust:   username: " + FIRST_ADMIN);
        out.println("gust:   password: " + password);
    }

    /**
     * Like Airflow's {@code airflow_db} default connection: {@code gust_db} points at the embedded
     * database, so that SQL examples run out of the box. Rewritten on each start, because the
     * embedded server's port may change.
     */
    private static void defineOwnDatabaseConnection(Stores stores, EmbeddedPostgresServer server) {
        ConnectionRepository connections = stores.connections();
        connections.delete(OWN_DATABASE_CONNECTION);
        connections.add(new Connection(
                OWN_DATABASE_CONNECTION,
                "postgres",
                "Gust's own metadata database (made by gust standalone)",
                "127.0.0.1",
                "postgres",
                EmbeddedPostgresServer.USER,
                server.password(),
                server.port(),
                null));
    }
}
