package dev.gust.scheduler.operators.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.sensors.SensorOperator;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpSensorTest {

    static TestHttpServer server;
    static final AtomicInteger calls = new AtomicInteger();
    private final SensorOperator sensor = new SensorOperator(new HttpSensor(new HttpCaller()), Clock.systemUTC());

    @BeforeAll
    static void start() throws Exception {
        server = new TestHttpServer()
                .on("/ready-on-third", e -> {
                    int n = calls.incrementAndGet();
                    TestHttpServer.respond(
                            e,
                            n < 3 ? 404 : 200,
                            "application/json",
                            n < 4 ? "{\"status\": \"starting\"}" : "{\"status\": \"ready\"}");
                })
                .on("/error", e -> TestHttpServer.respond(e, 500, "text/plain", "boom"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private FakeTaskRunContext context(Object... args) {
        return FakeTaskRunContext.of(args).connection(server.connection("http_default", null, null));
    }

    @Test
    void waitsThrough404sAndForTheExpectedText() throws Exception {
        calls.set(0);
        assertThat(sensor.execute(
                        context("endpoint", "ready-on-third", "poke_interval", 0.02, "response_contains", "ready\"")))
                .isEqualTo(new OperatorOutcome.Success());
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void anErrorStatusFailsUnlessSoftFail() throws Exception {
        OperatorOutcome outcome = sensor.execute(context("endpoint", "error"));
        assertThat(((OperatorOutcome.Failed) outcome).reason()).startsWith("HTTP 500 from GET");
        assertThat(sensor.execute(context("endpoint", "error", "soft_fail", true)))
                .isInstanceOf(OperatorOutcome.Skipped.class);
        assertThat(sensor.execute(context("endpoint", "error", "expected_status", 500)))
                .isEqualTo(new OperatorOutcome.Success());
    }

    @Test
    void aServiceThatIsNotUpYetIsNotReady() throws Exception {
        assertThat(sensor.execute(FakeTaskRunContext.of("endpoint", "http://127.0.0.1:1/health", "mode", "reschedule")))
                .isInstanceOf(OperatorOutcome.Reschedule.class);
    }
}
