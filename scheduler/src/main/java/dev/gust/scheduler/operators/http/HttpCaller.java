package dev.gust.scheduler.operators.http;

import dev.gust.core.Lazy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Sends the requests of the HTTP operator and sensor with one shared {@link HttpClient}
 * (connection pooling, redirects followed as a browser would). The calling thread blocks;
 * interrupting it abandons the request.
 */
public final class HttpCaller {

    /**
     * Built by the first request: a client sets up TLS as it is built (some 300 classes, a tenth of
     * a second of a scheduler's start-up), which a scheduler that never runs an HTTP task never needs.
     */
    private final Lazy<HttpClient> client = Lazy.of(() -> HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build());

    HttpResponse<byte[]> send(HttpRequestSpec spec) throws IOException, InterruptedException {
        return client.get().send(spec.toRequest(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
