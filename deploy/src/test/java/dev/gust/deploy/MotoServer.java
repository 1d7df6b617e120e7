package dev.gust.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A {@code moto_server} (the real AWS API stand-in the deploy tests run against) on a free
 * loopback port, started for a test class and stopped after it. Its absence fails the test with
 * the install command: a deployment test that silently skips proves nothing.
 */
public final class MotoServer implements AutoCloseable {

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    public static MotoServer start(Map<String, String> environment) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("moto-server", ".log");
        ProcessBuilder builder = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "moto_server is not installed (the deploy tests need it): " + "pip install 'moto[server]'", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return new MotoServer(process, endpoint, log);
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("moto_server did not start: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sets how moto advances the status of its {@code model} (e.g. {@code ecs::task}), as its
     * state manager's {@code transition} JSON, e.g. {@code {"progression": "manual", "times": 1000}}.
     */
    public void setTransition(String model, String transition) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/state-manager/set-transition"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"model_name\": \"" + model + "\", \"transition\": " + transition + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("moto refused the transition: " + response.body());
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
