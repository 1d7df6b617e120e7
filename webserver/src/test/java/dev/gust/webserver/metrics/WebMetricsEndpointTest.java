package dev.gust.webserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.testing.TestDatabase;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestConfigs;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebServices;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web server's {@code /metrics}: only with {@code metrics.webserver_endpoint}, and then only
 * for a signed-in Op (the web port is behind the ALB, unlike the scheduler's health port); it
 * holds Jetty's own meters next to the JVM's.
 */
class WebMetricsEndpointTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void opsScrapeMetricsWhenTheEndpointIsOnOthersAreRefused() throws Exception {
        TestUsers.create(db.jdbc(), "metrics-op", "op");
        TestUsers.create(db.jdbc(), "metrics-user", "user");
        GustConfig config = TestConfigs.config(Map.of("GUST_METRICS__WEBSERVER_ENDPOINT", "true"));
        try (MetricsExport export = MetricsExport.start(config.metrics());
                GustWebServer server = new GustWebServer(WebServices.create(config, db.jdbc(), export))) {
            WebClient client = new WebClient(server.start("127.0.0.1", 0));

            HttpResponse<String> anonymous = client.get("/metrics");
            assertThat(anonymous.statusCode()).isIn(302, 401);
            assertThat(anonymous.body()).doesNotContain("jvm_");
            HttpResponse<String> user = client.get("/metrics", "Authorization", TestUsers.basic("metrics-user"));
            assertThat(user.statusCode()).isEqualTo(403);

            HttpResponse<String> op = client.get("/metrics", "Authorization", TestUsers.basic("metrics-op"));
            assertThat(op.statusCode()).isEqualTo(200);
            assertThat(op.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(op.body())
                    .contains("jvm_memory_used_bytes")
                    .contains("jetty_connections_current")
                    .contains("jetty_threads_current");
        }
    }

    @Test
    void withoutTheSettingThereIsNoEndpoint() throws Exception {
        TestUsers.create(db.jdbc(), "metrics-op2", "op");
        GustConfig config = TestConfigs.config(Map.of());
        try (MetricsExport export = MetricsExport.start(config.metrics());
                GustWebServer server = new GustWebServer(WebServices.create(config, db.jdbc(), export))) {
            WebClient client = new WebClient(server.start("127.0.0.1", 0));
            HttpResponse<String> op = client.get("/metrics", "Authorization", TestUsers.basic("metrics-op2"));
            assertThat(op.statusCode()).isEqualTo(404);
        }
    }
}
