package dev.gust.core.external.http;

/**
 * The base URL of an HTTP connection as Airflow's HttpHook builds it: the host when it already
 * holds a scheme ({@code https://api.example.com}), else {@code SCHEMA://HOST[:PORT]} with the
 * connection's schema field as the scheme ({@code http} when empty).
 */
public final class HttpBaseUrl {

    private HttpBaseUrl() {}

    /**
     * @throws IllegalArgumentException naming the connection when it has no host
     */
    public static String of(String connId, String host, String schema, Integer port) {
        String trimmed = host == null ? "" : host.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("connection '" + connId
                    + "' has no host; set it to the server, such as api.example.com or https://api.example.com");
        }
        if (trimmed.contains("://")) {
            return trimmed;
        }
        String scheme = schema == null || schema.isBlank() ? "http" : schema.trim();
        return scheme + "://" + trimmed + (port == null ? "" : ":" + port);
    }
}
