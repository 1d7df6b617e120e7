package dev.gust.webserver.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses, before any handler runs, a request with a NUL character anywhere it could reach the
 * database: the path (so every path parameter), the query string, form fields, and strings or
 * field names of a JSON body (written as the escape backslash-u0000). PostgreSQL cannot store NUL in text, so without
 * this check the request ends in a 500; now it is a 400 in the request's shape (problem JSON
 * under /api, the error page elsewhere).
 */
public final class NulBytes {

    private static final String DETAIL =
            "The request contains a NUL character (%00 or \\u0000); remove it and try again.";

    private NulBytes() {}

    public static void install(Javalin app) {
        app.before(ctx -> {
            if (carriesNul(ctx)) {
                Problems.respond(ctx, 400, "Bad Request", DETAIL);
                ctx.skipRemainingHandlers();
            }
        });
    }

    static boolean carriesNul(Context ctx) {
        String uri = ctx.req().getRequestURI();
        if (uri != null && (uri.indexOf('\0') >= 0 || uri.contains("%00"))) {
            return true;
        }
        String query = ctx.queryString();
        if (query != null && (query.indexOf('\0') >= 0 || query.contains("%00") || anyNul(ctx.queryParamMap()))) {
            return true;
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return anyNul(ctx.formParamMap());
        }
        if (type.contains("json")) {
            return jsonNul(ctx.body());
        }
        return false;
    }

    private static boolean anyNul(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (param.getKey().indexOf('\0') >= 0
                    || param.getValue().stream().anyMatch(v -> v != null && v.indexOf('\0') >= 0)) {
                return true;
            }
        }
        return false;
    }

    /** A raw NUL, or the escape backslash-u0000 (its backslash not itself escaped), anywhere in JSON text. */
    static boolean jsonNul(String json) {
        if (json.indexOf('\0') >= 0) {
            return true;
        }
        for (int at = json.indexOf("u0000"); at >= 0; at = json.indexOf("u0000", at + 1)) {
            int backslashes = 0;
            for (int i = at - 1; i >= 0 && json.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                return true;
            }
        }
        return false;
    }
}
