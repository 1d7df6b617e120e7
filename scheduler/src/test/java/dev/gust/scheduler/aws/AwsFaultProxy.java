package dev.gust.scheduler.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of {@code moto_server} that answers scripted faults to ECS
 * {@code RunTask}. It exists because moto never answers RunTask with a capacity or placement
 * failure (HTTP 200 with {@code failures}) nor with a {@code ThrottlingException}, yet those are
 * what a real ECS says under load and what the ECS executor must retry. Everything else, and
 * every RunTask once the script is used up, is forwarded unchanged to the real moto behind it:
 * only the scripted answers are made up, and each one is a whole RunTask answer, consumed by
 * one HTTP request (an SDK call retried by the SDK itself consumes one per attempt).
 */
public final class AwsFaultProxy implements AutoCloseable {

    /** One made-up answer to one RunTask request. */
    public record Fault(int status, String body) {

        /** What ECS says when no capacity fits the task: HTTP 200, no task, one failure. */
        public static Fault capacity(String reason) {
            return new Fault(
                    200,
                    "{\"tasks\": [], \"failures\": [{\"reason\": \""
                            + reason.replace("\\", "\\\\").replace("\"", "\\\"")
                            + "\", \"detail\": \"injected by AwsFaultProxy\"}]}");
        }

        /** What ECS says when its API rate is exceeded. */
        public static Fault throttling() {
            return new Fault(400, "{\"__type\": \"ThrottlingException\", \"message\": \"Rate exceeded\"}");
        }
    }

    // the JDK client sets these itself, or refuses them; they describe one hop, not the request
    private static final Set<String> HOP_HEADERS = Set.of(
            "host",
            "content-length",
            "connection",
            "keep-alive",
            "proxy-connection",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "expect",
            "date");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final Queue<Fault> runTaskFaults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger runTasksForwarded = new AtomicInteger();
    private final AtomicInteger runTasksFaulted = new AtomicInteger();
    private final AtomicInteger runTasksWaiting = new AtomicInteger();
    private volatile CountDownLatch runTaskGate = new CountDownLatch(0);

    private AwsFaultProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** A proxy on a free loopback port forwarding to {@code target} (moto's endpoint). */
    public static AwsFaultProxy start(URI target) throws IOException {
        return new AwsFaultProxy(target);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Appends faults to the script: the next RunTask requests get them, in order, one each. */
    public void failRunTasks(Fault... faults) {
        runTaskFaults.addAll(List.of(faults));
    }

    /** RunTask requests that reached moto. */
    public int runTasksForwarded() {
        return runTasksForwarded.get();
    }

    /** RunTask requests answered with a scripted fault. */
    public int runTasksFaulted() {
        return runTasksFaulted.get();
    }

    /**
     * From now on RunTask requests wait (as behind a slow or throttling ECS endpoint) until
     * {@link #releaseRunTasks()}; other requests go on.
     */
    public void holdRunTasks() {
        runTaskGate = new CountDownLatch(1);
    }

    public void releaseRunTasks() {
        runTaskGate.countDown();
    }

    /** RunTask requests waiting at the gate of {@link #holdRunTasks()}. */
    public int runTasksWaiting() {
        return runTasksWaiting.get();
    }

    /** Scripted faults no RunTask has consumed yet. */
    public int faultsLeft() {
        return runTaskFaults.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (amzTarget != null && amzTarget.endsWith(".RunTask")) {
                awaitGate();
                Fault fault = runTaskFaults.poll();
                if (fault != null) {
                    runTasksFaulted.incrementAndGet();
                    byte[] answer = fault.body().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                    exchange.getResponseHeaders()
                            .set("x-amzn-RequestId", UUID.randomUUID().toString());
                    exchange.sendResponseHeaders(fault.status(), answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                    return;
                }
                runTasksForwarded.incrementAndGet();
            }
            forward(exchange, body);
        }
    }

    private void awaitGate() throws IOException {
        runTasksWaiting.incrementAndGet();
        try {
            if (!runTaskGate.await(60, TimeUnit.SECONDS)) {
                throw new IOException("RunTask held for 60 s and never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while holding RunTask", e);
        } finally {
            runTasksWaiting.decrementAndGet();
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        URI requestUri = exchange.getRequestURI();
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(requestUri.getRawPath()
                        + (requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery())))
                .timeout(Duration.ofSeconds(30))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            if (!HOP_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + target, e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] answer = response.body();
        boolean noBody = answer.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @Override
    public void close() {
        releaseRunTasks();
        server.stop(0);
        threads.close();
        client.close();
    }
}
