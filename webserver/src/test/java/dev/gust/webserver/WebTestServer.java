package dev.gust.webserver;

import dev.gust.core.config.GustConfig;
import dev.gust.core.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A web server with the test configuration over real HTTP on an embedded PostgreSQL, for all the
 * tests of a class: {@code @RegisterExtension static final WebTestServer web = new WebTestServer();},
 * which JUnit closes after them.
 */
public final class WebTestServer implements AutoCloseable, AfterAllCallback {

    public final TestDatabase db;
    public final WebServices services;
    public final GustWebServer server;
    public final int port;

    public WebTestServer() {
        this(TestConfigs.config(Map.of()));
    }

    public WebTestServer(GustConfig config) {
        db = TestDatabase.create();
        services = WebServices.create(config, db.jdbc());
        server = new GustWebServer(services);
        port = server.start("127.0.0.1", 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
