package dev.gust.scheduler.operators.http;

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

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    HttpResponse<byte[]> send(HttpRequestSpec spec) throws IOException, InterruptedException {
        return client.send(spec.toRequest(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
