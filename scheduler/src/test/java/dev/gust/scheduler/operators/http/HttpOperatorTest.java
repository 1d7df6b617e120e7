package dev.gust.scheduler.operators.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpOperatorTest {

    static TestHttpServer server;
    private final HttpOperator http = new HttpOperator(new HttpCaller());

    @BeforeAll
    static void start() throws Exception {
        server = new TestHttpServer()
                .on(
                        "/json",
                        e -> TestHttpServer.respond(e, 200, "application/json", "{\"rows\": [1, 2], \"ok\": true}"))
                .on("/text", e -> TestHttpServer.respond(e, 201, "text/plain", "created"))
                .on("/broken", e -> TestHttpServer.respond(e, 503, "text/plain", "try later"))
                .on("/slow", e -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    TestHttpServer.respond(e, 200, "text/plain", "late");
                })
                .on("/big", e -> TestHttpServer.respond(e, 200, "text/plain", "x".repeat(70_000)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        server.requests.clear();
    }

    private FakeTaskRunContext context(Object... args) {
        return FakeTaskRunContext.of(args).connection(server.connection("http_default", "ann", "s3cret"));
    }

    @Test
    void getPushesParsedJsonAndSendsQueryParameters() throws Exception {
        FakeTaskRunContext context = context(
                "method",
                "GET",
                "endpoint",
                "json",
                "data",
                Map.of("day", "2024-01-01"),
                "headers",
                Map.of("Accept", "application/json"),
                "log_response",
                true);
        assertThat(http.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.xcoms.get("return_value")).isEqualTo(Map.of("rows", List.of(1, 2), "ok", true));
        TestHttpServer.Request request = server.requests.getFirst();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/json?day=2024-01-01");
        assertThat(request.header("Accept")).isEqualTo("application/json");
        assertThat(context.logLines).anyMatch(l -> l.contains("\"rows\""));
    }

    @Test
    void postsAMappingAsJsonWithBasicAuthFromTheConnection() throws Exception {
        FakeTaskRunContext context = context("endpoint", "/text", "data", Map.of("text", "hello"));
        assertThat(http.execute(context)).isEqualTo(new OperatorOutcome.Success());
        TestHttpServer.Request request = server.requests.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo("{\"text\":\"hello\"}");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("ann:s3cret".getBytes()));
        assertThat(context.xcoms).containsEntry("return_value", "created");
    }

    @Test
    void sendsAStringBodyAsIs() throws Exception {
        FakeTaskRunContext context = context("endpoint", "text", "method", "PUT", "data", "{\"raw\": 1}");
        http.execute(context);
        assertThat(server.requests.getFirst().body()).isEqualTo("{\"raw\": 1}");
        assertThat(server.requests.getFirst().method()).isEqualTo("PUT");
    }

    @Test
    void anErrorStatusFailsWithTheStatusAndBody() throws Exception {
        OperatorOutcome outcome = http.execute(context("endpoint", "broken"));
        assertThat(outcome).isInstanceOf(OperatorOutcome.Failed.class);
        assertThat(((OperatorOutcome.Failed) outcome).reason())
                .isEqualTo("HTTP 503 from POST http://127.0.0.1:" + server.port() + "/broken: try later");
    }

    @Test
    void expectedStatusReplacesTheDefaultCheck() throws Exception {
        assertThat(http.execute(context("endpoint", "broken", "expected_status", List.of(503))))
                .isEqualTo(new OperatorOutcome.Success());
        assertThat(http.execute(context("endpoint", "text", "expected_status", 200)))
                .isInstanceOf(OperatorOutcome.Failed.class);
    }

    @Test
    void aFullUrlEndpointNeedsNoConnection() throws Exception {
        FakeTaskRunContext context =
                FakeTaskRunContext.of("method", "GET", "endpoint", "http://127.0.0.1:" + server.port() + "/text");
        assertThat(http.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(server.requests.getFirst().header("Authorization")).isNull();
    }

    @Test
    void aMissingConnectionIsAClearError() {
        assertThatThrownBy(() -> http.execute(FakeTaskRunContext.of("endpoint", "x", "http_conn_id", "nope")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("connection 'nope' does not exist");
    }

    @Test
    void aBodyTooLargeForXcomFailsClearlyUnlessNotPushed() throws Exception {
        OperatorOutcome outcome = http.execute(context("endpoint", "big", "method", "GET"));
        assertThat(((OperatorOutcome.Failed) outcome).reason())
                .contains("70000 bytes")
                .contains("do_xcom_push: false");
        assertThat(http.execute(context("endpoint", "big", "method", "GET", "do_xcom_push", false)))
                .isEqualTo(new OperatorOutcome.Success());
    }

    @Test
    void getSendsStringDataAsTheQuery() throws Exception {
        http.execute(context("method", "GET", "endpoint", "text?a=1", "data", "b=2"));
        assertThat(server.requests.getFirst().uri()).isEqualTo("/text?a=1&b=2");
    }

    @Test
    void anInterruptAbandonsTheRequest() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                http.execute(context("endpoint", "slow"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        runner.interrupt();
        runner.join(java.time.Duration.ofSeconds(5));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        OperatorOutcome outcome = http.execute(FakeTaskRunContext.of("endpoint", "http://127.0.0.1:1/x"));
        assertThat(((OperatorOutcome.Failed) outcome).reason()).startsWith("POST http://127.0.0.1:1/x failed: ");
    }
}
