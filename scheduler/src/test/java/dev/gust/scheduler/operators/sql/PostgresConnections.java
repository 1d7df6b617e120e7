package dev.gust.scheduler.operators.sql;

import dev.gust.core.testing.TestDatabase;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A postgres Connection that points at a test database, as a user would declare it. */
public final class PostgresConnections {

    private PostgresConnections() {}

    public static ConnectionDetails of(String connId, TestDatabase database) {
        URI uri = URI.create(database.url().substring("jdbc:".length()));
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return new ConnectionDetails(
                connId,
                "postgres",
                uri.getHost(),
                uri.getPath().substring(1),
                query.get("user"),
                query.get("password"),
                uri.getPort(),
                Map.of("sslmode", "disable", "cursor", "x"));
    }
}
