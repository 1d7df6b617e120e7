package dev.gust.core.external;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionUri;
import dev.gust.core.testing.TestDatabase;
import dev.gust.core.testing.TestMailServer;
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

class ConnectionTesterTest {

    @RegisterExtension
    static final TestMailServer mail = TestMailServer.start();

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    static HttpServer web;
    static final List<String> requests = new CopyOnWriteArrayList<>();

    final ConnectionTester tester = new ConnectionTester();

    @BeforeAll
    static void startWeb() throws Exception {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            int status = exchange.getRequestURI().getPath().startsWith("/broken") ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        web.start();
    }

    @AfterAll
    static void stopWeb() {
        web.stop(0);
    }

    @Test
    void smtpConnectsGreetsAndLogsIn() {
        ConnectionTester.Result ok =
                tester.test(mail.connection("smtp_default", "{\"disable_ssl\": true, \"disable_tls\": true}"));
        assertThat(ok.status()).as(ok.message()).isTrue();
        assertThat(ok.message())
                .startsWith("Connection successfully tested: the SMTP server 127.0.0.1:" + mail.smtpPort()
                        + " (plain) answered and accepted the login");

        Connection wrong = new Connection(
                "smtp_default",
                "smtp",
                null,
                "127.0.0.1",
                null,
                TestMailServer.LOGIN,
                "not-it",
                mail.smtpPort(),
                "{\"disable_ssl\": true, \"disable_tls\": true}");
        ConnectionTester.Result refused = tester.test(wrong);
        assertThat(refused.status()).isFalse();
        assertThat(refused.message()).contains("refused the login").doesNotContain("not-it");

        // STARTTLS is Airflow's default on a plain connection; this test server cannot do it, and that must show
        ConnectionTester.Result noTls = tester.test(mail.connection("smtp_default", "{\"disable_ssl\": true}"));
        assertThat(noTls.status()).isFalse();
        assertThat(noTls.message()).contains("(STARTTLS)");
    }

    @Test
    void httpSendsAGetToTheBaseUrlWithBasicAuth() {
        int port = web.getAddress().getPort();
        ConnectionTester.Result ok = tester.test(ConnectionUri.parse("http://user:pw@127.0.0.1:" + port + "/http")
                .toConnection("http_default", null));
        assertThat(ok.status()).as(ok.message()).isTrue();
        assertThat(ok.message())
                .isEqualTo("Connection successfully tested: GET http://127.0.0.1:" + port + " answered 200");
        assertThat(requests).last().asString().startsWith("GET / Basic ");

        ConnectionTester.Result broken = tester.test(new Connection(
                "api", "https", null, "http://127.0.0.1:" + port + "/broken", null, null, null, null, null));
        assertThat(broken.status()).isFalse();
        assertThat(broken.message())
                .isEqualTo("GET http://127.0.0.1:" + port + "/broken answered 503; check the host, schema, port and"
                        + " credentials of connection 'api'");
    }

    @Test
    void slackWebhooksAreCheckedWithoutPostingAnything() {
        int before = requests.size();
        ConnectionTester.Result ok =
                tester.test(ConnectionUri.parse("slackwebhook://:T0%2FB0%2FX@/").toConnection("slack_default", null));
        assertThat(ok.status()).isTrue();
        assertThat(ok.message()).contains("https://hooks.slack.com/...").doesNotContain("T0/B0/X");
        ConnectionTester.Result bad =
                tester.test(new Connection("slack_default", "slackwebhook", null, null, null, null, null, null, null));
        assertThat(bad.status()).isFalse();
        assertThat(bad.message()).startsWith("connection 'slack_default' has no webhook token");
        assertThat(requests).hasSize(before);
    }

    @Test
    void postgresConnectsAndRunsAQuery() {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        Connection good = new Connection(
                "warehouse",
                "postgres",
                null,
                uri.getHost(),
                uri.getPath().substring(1),
                query.get("user"),
                query.get("password"),
                uri.getPort(),
                "{\"sslmode\": \"disable\"}");
        ConnectionTester.Result ok = tester.test(good);
        assertThat(ok).isEqualTo(new ConnectionTester.Result(true, "Connection successfully tested"));

        ConnectionTester.Result noDatabase = tester.test(new Connection(
                "warehouse",
                "postgres",
                null,
                uri.getHost(),
                "no_such_database",
                query.get("user"),
                query.get("password"),
                uri.getPort(),
                "{\"sslmode\": \"disable\"}"));
        assertThat(noDatabase.status()).isFalse();
        assertThat(noDatabase.message())
                .contains("no_such_database")
                .endsWith("; check its host, port, schema (the database), login and password");
    }

    @Test
    void otherTypesAndBrokenExtrasAreAnsweredNotThrown() {
        assertThat(tester.test(new Connection("s", "sftp", null, "h", null, null, null, null, null)))
                .isEqualTo(new ConnectionTester.Result(
                        false,
                        "Gust cannot test connections of type 'sftp'; it tests smtp, slackwebhook, slack, http, https,"
                                + " aws and postgres"));
        assertThat(tester.test(new Connection("m", "smtp", null, "h", null, null, null, null, "not json")))
                .isEqualTo(new ConnectionTester.Result(
                        false,
                        "the extra of connection 'm' is not a JSON object; set it to one, such as {\"timeout\": 30}"));
    }
}
