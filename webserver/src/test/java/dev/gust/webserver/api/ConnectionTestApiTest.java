package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /api/v1/connections/test} over real HTTP: refused with Airflow's 403 while
 * {@code core.test_connection} is Disabled (the default), and when Enabled it tries the body's
 * connection (a GET of an HTTP server run by the test, a connect to the server's own PostgreSQL)
 * without storing it.
 */
class ConnectionTestApiTest {

    @RegisterExtension
    static final ApiTestServer byDefault = new ApiTestServer();

    @RegisterExtension
    static final ApiTestServer enabled = ApiTestServer.withSettings(Map.of("GUST_CORE__TEST_CONNECTION", "enabled"));

    static HttpServer web;
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startWeb() throws Exception {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/down") ? 502 : 204, -1);
            exchange.close();
        });
        web.start();
    }

    @AfterAll
    static void stopWeb() {
        web.stop(0);
    }

    @Test
    void disabledByDefaultWithAirflowsMessage() throws Exception {
        int before = requests.size();
        ApiTestServer.Reply reply = byDefault.post(
                "/connections/test",
                "{\"connection_id\": \"web\", \"conn_type\": \"http\", \"host\": \"127.0.0.1\", \"port\": "
                        + web.getAddress().getPort() + "}");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("detail").asText())
                .startsWith("Testing connections is disabled in Airflow configuration. Contact your deployment admin"
                        + " to enable it.")
                .contains("core.test_connection");
        assertThat(requests).hasSize(before);
    }

    @Test
    void anHttpConnectionIsTriedWithAGetOfItsBaseUrl() throws Exception {
        int port = web.getAddress().getPort();
        ApiTestServer.Reply ok = enabled.post(
                "/connections/test",
                "{\"connection_id\": \"web\", \"conn_type\": \"http\", \"host\": \"127.0.0.1\", \"port\": " + port
                        + ", \"password\": \"never-stored\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("status").asBoolean()).isTrue();
        assertThat(ok.json().get("message").asText())
                .isEqualTo("Connection successfully tested: GET http://127.0.0.1:" + port + " answered 204");
        assertThat(requests).last().isEqualTo("GET /");

        ApiTestServer.Reply down = enabled.post(
                "/connections/test",
                "{\"connection_id\": \"web\", \"conn_type\": \"https\", \"host\": \"http://127.0.0.1:" + port
                        + "/down\"}");
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.json().get("status").asBoolean()).isFalse();
        assertThat(down.json().get("message").asText()).contains("answered 502");

        // a test stores nothing
        assertThat(enabled.get("/connections/web").status()).isEqualTo(404);
    }

    @Test
    void aPostgresConnectionConnects() throws Exception {
        URI uri = URI.create(enabled.db.url().substring("jdbc:".length()));
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        Map<String, Object> connection = new HashMap<>();
        connection.put("connection_id", "metadata");
        connection.put("conn_type", "postgres");
        connection.put("host", uri.getHost());
        connection.put("port", uri.getPort());
        connection.put("schema", uri.getPath().substring(1));
        connection.put("login", query.get("user"));
        connection.put("password", query.get("password"));
        connection.put("extra", "{\"sslmode\": \"disable\"}");
        String body = ApiTestServer.JSON.writeValueAsString(connection);
        ApiTestServer.Reply reply = enabled.post("/connections/test", body);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asBoolean())
                .as(reply.json().get("message").asText())
                .isTrue();
    }

    @Test
    void untestableTypesAndBadBodiesAreAnsweredPlainly() throws Exception {
        ApiTestServer.Reply sftp =
                enabled.post("/connections/test", "{\"connection_id\": \"s\", \"conn_type\": \"sftp\"}");
        assertThat(sftp.status()).isEqualTo(200);
        assertThat(sftp.json().get("status").asBoolean()).isFalse();
        assertThat(sftp.json().get("message").asText()).startsWith("Gust cannot test connections of type 'sftp'");
        assertThat(enabled.post("/connections/test", "{\"connection_id\": \"s\"}")
                        .status())
                .isEqualTo(400);
        assertThat(enabled.post("/connections/test", "{\"conn_type\": \"http\", \"hostname\": \"x\"}")
                        .status())
                .isEqualTo(400);
    }
}
