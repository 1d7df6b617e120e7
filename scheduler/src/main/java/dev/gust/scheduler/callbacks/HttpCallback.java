package dev.gust.scheduler.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.store.connections.Connection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code http:} callback (or a webhook URL): one request with Java's HttpClient. The URL, the
 * headers and the JSON body are rendered with the callback's context; without a body it sends a
 * JSON summary of the event. With {@code http_conn_id} a relative URL is taken from the
 * connection's host (and schema, port), and its login and password are sent as basic auth. A
 * response other than 2xx fails the callback.
 */
final class HttpCallback {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private HttpCallback() {}

    static String run(CallbackSpec.Http spec, CallbackInvocation invocation, CallbackLog log, Duration timeout)
            throws CallbackFailure, InterruptedException {
        String url = String.valueOf(invocation.render("url", spec.url()));
        Connection connection = null;
        if (spec.httpConnId() != null) {
            connection = invocation
                    .connection(spec.httpConnId())
                    .orElseThrow(() -> new CallbackFailure("http_conn_id '" + spec.httpConnId()
                            + "' is not a connection; add it (gust connections add) or fix the id"));
            log.masker().add(connection.password());
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                url = baseUrl(connection) + (url.startsWith("/") || url.isEmpty() ? "" : "/") + url;
            }
        }
        Object body = spec.body() == null ? invocation.plainContext() : invocation.render("json", spec.body());
        String json;
        try {
            json = body instanceof String text ? text : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new CallbackFailure("the json body cannot be written as JSON: " + e.getOriginalMessage());
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new CallbackFailure(
                    "'" + url + "' is not a valid URL; give an absolute http(s) URL, or a path with" + " http_conn_id");
        }
        request.header("Content-Type", "application/json");
        Object headers = invocation.render("headers", new LinkedHashMap<>(spec.headers()));
        if (headers instanceof Map<?, ?> map) {
            map.forEach((k, v) -> request.header(String.valueOf(k), String.valueOf(v)));
        }
        if (connection != null && connection.login() != null) {
            String credentials =
                    connection.login() + ":" + (connection.password() == null ? "" : connection.password());
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        String method = spec.method().toUpperCase(java.util.Locale.ROOT);
        request.method(
                method,
                method.equals("GET") || method.equals("HEAD")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        log.line(method + " " + url);
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CallbackFailure(method + " " + url + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        String answer = response.body() == null ? "" : response.body().strip();
        if (answer.length() > 500) {
            answer = answer.substring(0, 500) + " ...";
        }
        if (response.statusCode() / 100 != 2) {
            throw new CallbackFailure(method + " " + url + " answered HTTP " + response.statusCode()
                    + (answer.isEmpty() ? "" : ": " + answer.lines().findFirst().orElse("")));
        }
        return method + " " + url + " answered HTTP " + response.statusCode();
    }

    private static String baseUrl(Connection connection) {
        String host = connection.host() == null ? "" : connection.host();
        if (host.startsWith("http://") || host.startsWith("https://")) {
            return stripSlash(host) + (connection.port() == null ? "" : ":" + connection.port());
        }
        String scheme = connection.schema() == null || connection.schema().isBlank() ? "http" : connection.schema();
        return scheme + "://" + stripSlash(host) + (connection.port() == null ? "" : ":" + connection.port());
    }

    private static String stripSlash(String text) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
