package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code gust connections test ID}: off unless core.test_connection is Enabled, then it tries the stored connection. */
class ConnectionsTestIT extends IsolatedGustIT {

    @Test
    void refusedByDefaultThenTriesTheStoredConnection() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/gone") ? 410 : 200, -1);
            exchange.close();
        });
        web.start();
        try {
            int port = web.getAddress().getPort();
            assertThat(gust("connections", "add", "api", "--conn-uri", "http://etl:pw@127.0.0.1:" + port + "/http")
                            .exitCode())
                    .isZero();
            assertThat(gust(
                                    "connections",
                                    "add",
                                    "gone",
                                    "--conn-type",
                                    "https",
                                    "--conn-host",
                                    "http://127.0.0.1:" + port + "/gone")
                            .exitCode())
                    .isZero();

            assertOneLineError(
                    gust("connections", "test", "api"),
                    "Testing connections is disabled in Airflow configuration. Contact your deployment admin to enable"
                            + " it (set core.test_connection to Enabled");
            assertThat(requests).isEmpty();

            Map<String, String> enabled = GustProcess.isolatedEnvironment(home);
            enabled.put("GUST_CORE__TEST_CONNECTION", "Enabled");
            GustProcess.Result ok = GustProcess.run(enabled, "connections", "test", "api");
            assertThat(ok.exitCode()).as(ok.all()).isZero();
            assertThat(ok.stdout())
                    .contains("Testing connection api (type http)...")
                    .contains("Connection success! Connection successfully tested: GET http://127.0.0.1:" + port
                            + " answered 200")
                    .doesNotContain("pw");
            assertThat(requests).singleElement().asString().startsWith("GET / Basic ");

            assertOneLineError(
                    GustProcess.run(enabled, "connections", "test", "gone"),
                    "connection gone failed its test: GET http://127.0.0.1:" + port + "/gone answered 410; check the"
                            + " host, schema, port and credentials of connection 'gone'");
            assertOneLineError(GustProcess.run(enabled, "connections", "test", "nope"), "no connection 'nope'");
        } finally {
            web.stop(0);
        }
    }
}
