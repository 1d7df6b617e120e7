package dev.gust.scheduler.operators.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.external.http.HttpBaseUrl;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One HTTP request as the {@code http} operator and the {@code http_sensor} describe it, resolved
 * the way Airflow's HttpHook resolves it: the URL is the connection's base URL
 * ({@code schema://host:port}, or host when it already has a scheme) joined with
 * {@code endpoint}, unless the endpoint is itself a full URL; the connection's extra holds
 * default headers and its login/password become basic auth; {@code data} is the query string
 * of a GET or HEAD, else the body (a mapping or list is sent as JSON).
 */
public record HttpRequestSpec(String method, URI uri, Map<String, String> headers, String body, Duration timeout) {

    public static final String DEFAULT_CONN_ID = "http_default";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static HttpRequestSpec fromArgs(TaskRunContext context, String defaultMethod) {
        OperatorArgs args = OperatorArgs.of(context);
        String method = args.string("method", defaultMethod).toUpperCase(Locale.ROOT);
        String endpoint = args.string("endpoint", "");
        String connId = args.string("http_conn_id", DEFAULT_CONN_ID);
        boolean fullUrl = endpoint.startsWith("http://") || endpoint.startsWith("https://");
        ConnectionDetails connection = context.connection(connId).orElse(null);
        if (connection == null && !fullUrl) {
            throw new InvalidArgumentException(
                    "connection '" + connId + "' does not exist; create it (gust connections " + "add " + connId
                            + " --conn-type http --conn-host ...) or give a full URL as endpoint");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (connection != null) {
            connection.extra().forEach((k, v) -> headers.put(k, String.valueOf(v)));
            if (connection.login() != null && !connection.login().isEmpty()) {
                String credentials =
                        connection.login() + ":" + (connection.password() == null ? "" : connection.password());
                headers.put(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
        }
        args.map("headers").forEach((k, v) -> headers.put(k, String.valueOf(v)));
        String url = fullUrl ? endpoint : join(baseUrl(connection), endpoint);
        String body = null;
        Object data = args.raw("data");
        boolean queryOnly = method.equals("GET") || method.equals("HEAD");
        if (data instanceof Map<?, ?> map && queryOnly) {
            url = withQuery(url, map);
        } else if (data instanceof String text && queryOnly) {
            url = text.isBlank()
                    ? url
                    : url + (url.contains("?") ? "&" : "?") + text.strip().replaceAll("^\\?", "");
        } else if (data instanceof Map<?, ?> || data instanceof java.util.List<?>) {
            body = toJson(data);
            headers.putIfAbsent("Content-Type", "application/json");
        } else if (data != null) {
            body = data.toString();
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("'" + url + "' is not a valid URL: " + e.getMessage());
        }
        return new HttpRequestSpec(method, uri, headers, body, args.duration("request_timeout", DEFAULT_TIMEOUT));
    }

    HttpRequest toRequest() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Method and URL, for log lines (never headers: they may carry credentials). */
    String describe() {
        return method + " " + uri;
    }

    private static String baseUrl(ConnectionDetails connection) {
        try {
            return HttpBaseUrl.of(connection.connId(), connection.host(), connection.schema(), connection.port());
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    private static String join(String base, String endpoint) {
        if (endpoint.isEmpty()) {
            return base;
        }
        return base.replaceAll("/+$", "") + "/" + endpoint.replaceAll("^/+", "");
    }

    private static String withQuery(String url, Map<?, ?> params) {
        if (params.isEmpty()) {
            return url;
        }
        String query = params.entrySet().stream()
                .map(e -> encode(String.valueOf(e.getKey())) + "=" + encode(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String toJson(Object data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("data cannot be sent as JSON: " + e.getOriginalMessage());
        }
    }
}
