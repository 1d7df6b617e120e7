package dev.gust.webserver.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what a client sent, the way Airflow's API does, and refuses with a 400 that says what
 * to fix: paging ({@code limit}, {@code offset}), filters, RFC 3339 dates, {@code update_mask},
 * and JSON bodies whose fields are checked against the fields the endpoint knows.
 */
public final class ApiRequest {

    public static final int DEFAULT_LIMIT = 100;

    private ApiRequest() {}

    /** A page request; {@code limit} is capped at the configured maximum, as Airflow caps it. */
    public record Paging(int limit, int offset) {}

    public static Paging paging(Context ctx, int maximumLimit) {
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1) {
            throw ApiProblem.badRequest("limit must be 1 or more, got " + limit);
        }
        int offset = intParam(ctx, "offset", 0);
        if (offset < 0) {
            throw ApiProblem.badRequest("offset must be 0 or more, got " + offset);
        }
        return new Paging(Math.min(limit, maximumLimit), offset);
    }

    public static int intParam(Context ctx, String name, int defaultValue) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }

    public static Boolean boolParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.badRequest(name + " must be true or false, got '" + value + "'");
        };
    }

    public static String textParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** A repeated query parameter ({@code state=a&state=b}); comma-separated values are split too. */
    public static List<String> listParam(Context ctx, String name) {
        List<String> values = new ArrayList<>();
        for (String value : ctx.queryParams(name)) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
        }
        return values;
    }

    public static Instant dateParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        // An unencoded '+' of an offset arrives as a space.
        return parseDate(name, value.strip().replace(' ', '+'));
    }

    public static Instant parseDate(String name, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + " must be an RFC 3339 date-time with a time zone, like "
                    + "2024-01-01T00:00:00Z, got '" + value + "'");
        }
    }

    /** The fields named by {@code update_mask}; empty when absent. Every name must be in {@code known}. */
    public static Set<String> updateMask(Context ctx, Collection<String> known) {
        Set<String> mask = new LinkedHashSet<>(listParam(ctx, "update_mask"));
        for (String field : mask) {
            if (!known.contains(field)) {
                throw ApiProblem.badRequest("update_mask names '" + field + "', which cannot be updated here; use "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
        return mask;
    }

    /**
     * Refuses (415) a request body that is not {@code application/json} (for PATCH also {@code
     * application/merge-patch+json}), as Airflow's connexion does. Besides saying what to send,
     * this shuts out the bodies a form on another site can post ({@code text/plain}, form
     * encodings), which browsers send without asking the server first.
     */
    public static void requireJsonBody(Context ctx) {
        String method = ctx.req().getMethod().toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return;
        }
        String type = ctx.contentType();
        if (type == null || type.isBlank()) {
            if (ctx.req().getContentLengthLong() == 0) {
                return;
            }
            throw new ApiProblem(
                    415, "Unsupported Media Type", "The request body needs the header Content-Type: application/json.");
        }
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!mediaType.equals("application/json")
                && !(method.equals("PATCH") && mediaType.equals("application/merge-patch+json"))) {
            throw new ApiProblem(
                    415,
                    "Unsupported Media Type",
                    "The request body is " + mediaType.replaceAll("[^\\x20-\\x7e]", "?")
                            + "; send it as JSON with the header Content-Type: application/json.");
        }
    }

    /** The body as a JSON object whose every field is one of {@code known}. */
    public static ObjectNode body(Context ctx, Collection<String> known) {
        JsonNode node;
        try {
            String text = ctx.body();
            node = text.isBlank() ? null : ApiJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiProblem.badRequest("the request body must be a JSON object");
        }
        ObjectNode object = (ObjectNode) node;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!known.contains(field.getKey())) {
                throw ApiProblem.badRequest("unknown field '" + field.getKey()
                        + "' in the request body; the fields are " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return object;
    }

    /** A string field; null when absent or JSON null. */
    public static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiProblem.badRequest(field + " must be a string");
        }
        return value.asText();
    }

    public static Boolean bool(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiProblem.badRequest(field + " must be true or false");
        }
        return value.asBoolean();
    }

    public static boolean bool(ObjectNode body, String field, boolean defaultValue) {
        Boolean value = bool(body, field);
        return value == null ? defaultValue : value;
    }

    public static Integer integer(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiProblem.badRequest(field + " must be an integer");
        }
        return value.asInt();
    }

    public static List<String> textList(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiProblem.badRequest(field + " must be a list of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ApiProblem.badRequest(field + " must be a list of strings");
            }
            items.add(item.asText());
        }
        return items;
    }

    public static Instant date(ObjectNode body, String field) {
        String value = text(body, field);
        return value == null ? null : parseDate(field, value);
    }

    /** A field that must be present. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiProblem.badRequest(field + " is required");
        }
        return value;
    }
}
