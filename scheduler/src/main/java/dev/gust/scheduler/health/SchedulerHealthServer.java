package dev.gust.scheduler.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gust.core.store.TimeBoxed;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's own {@code GET /health}, what the ECS container health check probes: 200 only
 * while the scheduling loop completed a round within the threshold and the metadata database
 * answers; 503 with the reason otherwise, so that ECS replaces a scheduler whose loop is stuck or
 * whose database is gone. A database probe that hangs counts as an answer "no" after
 * {@link TimeBoxed#DATABASE_PROBE_TIMEOUT}, so the endpoint itself answers within a container health
 * check's timeout. {@code GET /metrics} answers the process's metrics in Prometheus's text format
 * (this port is not behind the load balancer, so it needs no sign-in).
 */
public final class SchedulerHealthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerHealthServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Instant> lastRoundCompleted;
    private final BooleanSupplier databaseAnswers;
    private final Duration threshold;
    private final Clock clock;
    private final Supplier<String> metrics;
    private ExecutorService executor;
    private HttpServer server;

    public SchedulerHealthServer(
            Supplier<Instant> lastRoundCompleted, BooleanSupplier databaseAnswers, Duration threshold, Clock clock) {
        this(lastRoundCompleted, databaseAnswers, threshold, clock, () -> "");
    }

    /** As above, with {@code /metrics} answering what {@code metrics} scrapes (Prometheus text). */
    public SchedulerHealthServer(
            Supplier<Instant> lastRoundCompleted,
            BooleanSupplier databaseAnswers,
            Duration threshold,
            Clock clock,
            Supplier<String> metrics) {
        this.metrics = metrics;
        this.lastRoundCompleted = lastRoundCompleted;
        this.databaseAnswers = databaseAnswers;
        this.threshold = threshold;
        this.clock = clock;
    }

    /**
     * Listens on every interface at {@code port} (0 picks a free one) and returns the bound port.
     * A port in use is a {@link java.net.BindException} inside the {@link UncheckedIOException}.
     */
    public int start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/health", this::handle);
        server.createContext("/metrics", this::handleMetrics);
        server.start();
        int bound = server.getAddress().getPort();
        log.debug(
                "scheduler health at http://localhost:{}/health (unhealthy after {}s without a scheduling round)",
                bound,
                threshold.toSeconds());
        return bound;
    }

    /** The answer {@code /health} gives now. */
    public Health check() {
        Instant last = lastRoundCompleted.get();
        String loopProblem = null;
        if (last == null) {
            loopProblem = "the scheduling loop has not completed a round yet";
        } else {
            Duration age = Duration.between(last, clock.instant());
            if (age.compareTo(threshold) > 0) {
                loopProblem = "the scheduling loop last completed a round " + age.toSeconds() + "s ago (threshold "
                        + threshold.toSeconds() + "s)";
            }
        }
        String databaseProblem = databaseAnswersInTime() ? null : "the metadata database does not answer";
        if (loopProblem == null && databaseProblem == null) {
            return new Health(true, last, null);
        }
        String reason = loopProblem == null
                ? databaseProblem
                : databaseProblem == null ? loopProblem : databaseProblem + "; " + loopProblem;
        return new Health(false, last, reason);
    }

    private boolean databaseAnswersInTime() {
        return TimeBoxed.call("health-database-probe", TimeBoxed.DATABASE_PROBE_TIMEOUT, () -> {
                    try {
                        return databaseAnswers.getAsBoolean();
                    } catch (RuntimeException e) {
                        log.debug("health check: the metadata database does not answer", e);
                        return false;
                    }
                })
                .orElse(false);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/health")) {
                respond(exchange, 404, Map.of("error", "not found; the scheduler answers GET /health"));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, Map.of("error", "use GET /health"));
                return;
            }
            Health health = check();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", health.healthy() ? "healthy" : "unhealthy");
            body.put(
                    "last_loop_completed",
                    health.lastLoopCompleted() == null
                            ? null
                            : health.lastLoopCompleted().toString());
            if (!health.healthy()) {
                body.put("reason", health.reason());
            }
            respond(exchange, health.healthy() ? 200 : 503, body);
        }
    }

    private void handleMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                respond(exchange, 404, Map.of("error", "not found; the scheduler answers GET /metrics"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, Map.of("error", "use GET /metrics"));
                return;
            }
            byte[] bytes = metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.close();
        }
    }

    /** What {@code /health} reports: healthy or not, when the loop last completed a round, and why not. */
    public record Health(boolean healthy, Instant lastLoopCompleted, String reason) {}
}
