package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's errors as Airflow's: 405 for a wrong method on a real path, an unknown endpoint told
 * apart from an unknown object, 409 titled "Conflict", 403 for an unexposed configuration, and
 * the requests Jetty refuses itself ({@code %00} in the path, oversized headers) answered as
 * problem JSON rather than Jetty's HTML.
 */
class ApiErrorsTest {

    @RegisterExtension
    static final ApiTestServer api = new ApiTestServer();

    @Test
    void aWrongMethodOnARealPathIs405() throws Exception {
        var put = api.send(HttpRequest.newBuilder(api.uri("/pools"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.contentType()).startsWith("application/problem+json");
        assertThat(put.json().get("title").asText()).isEqualTo("Method Not Allowed");
        assertThat(api.delete("/version").status()).isEqualTo(405);
    }

    @Test
    void anUnknownEndpointIsToldApartFromAnUnknownObject() throws Exception {
        var endpoint = api.get("/poolz/x");
        var object = api.get("/pools/x");
        assertThat(endpoint.status()).isEqualTo(404);
        assertThat(object.status()).isEqualTo(404);
        assertThat(endpoint.json().get("title").asText()).isEqualTo("Not Found");
        assertThat(endpoint.json().get("detail").asText()).contains("The requested URL /api/v1/poolz/x was not found");
        assertThat(object.json().get("detail").asText()).contains("no pool 'x'");
        SpecContract.AIRFLOW.check("get_pool", object);
    }

    @Test
    void everyConflictIsTitledConflict() throws Exception {
        api.post("/variables", "{\"key\": \"k\", \"value\": \"v\"}");
        assertThat(api.post("/pools", "{\"name\": \"p\", \"slots\": 1}").status())
                .isEqualTo(200);
        var pool = api.post("/pools", "{\"name\": \"p\", \"slots\": 1}");
        assertThat(pool.status()).isEqualTo(409);
        assertThat(pool.json().get("title").asText()).isEqualTo("Conflict");
        // The spec lists no 409 for post_pool, but Airflow answers a taken name with one: its body is an Error.
        assertThat(SpecContract.AIRFLOW.schemaViolations("Error", pool.json())).isEmpty();
        var user = api.post(
                "/users", "{\"username\": \"admin\", \"email\": \"a@example.com\", \"password\": \"long-enough-pw\"}");
        assertThat(user.json().get("title").asText()).isEqualTo("Conflict");
        SpecContract.AIRFLOW.check("post_user", user);
        api.delete("/pools/p");
    }

    @Test
    void theConfigurationIsRefusedUnlessExposed() throws Exception {
        var config = api.get("/config");
        SpecContract.AIRFLOW.check("get_config", config);
        assertThat(config.status()).isEqualTo(403);
        assertThat(config.json().get("detail").asText())
                .isEqualTo("Your Airflow administrator chose not to expose the configuration, most likely for"
                        + " security reasons.");
        assertThat(api.get("/config/section/core/option/dags_folder").status()).isEqualTo(403);
    }

    @Test
    void aNulInThePathIsProblemJson() throws Exception {
        String answer = raw("GET /api/v1/pools/a%00b HTTP/1.1\r\nHost: localhost\r\n" + "Authorization: Basic "
                + basicToken() + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).doesNotContain("<html").contains("\"status\":400");
    }

    @Test
    void oversizedHeadersAreProblemJson() throws Exception {
        String answer = raw("GET /api/v1/pools HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).doesNotContain("<html").contains("\"status\":431");
    }

    /** Sends bytes as written (Java's HTTP client would refuse or re-encode them) and reads the whole answer. */
    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String basicToken() {
        return dev.gust.webserver.TestUsers.basic(ApiTestServer.USER).substring("Basic ".length());
    }
}
