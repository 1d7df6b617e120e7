package dev.gust.webserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer of the web server, in one place: under {@code /api} a problem document
 * ({@code application/problem+json}) with Airflow's fields {@code type, title, status, detail,
 * instance}; elsewhere a small HTML page. Unknown paths are 404, malformed JSON and failed
 * validation 400, and anything unexpected a 500 whose details go to the server log, never to
 * the client. Handlers call {@link #respond} (or throw Javalin's {@code HttpResponseException}s,
 * e.g. {@code NotFoundResponse}) instead of writing error bodies themselves.
 */
public final class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";
    /** Airflow's problem types are links to the section of its REST API reference for the kind of error. */
    private static final String TYPE_BASE =
            "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/";

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private static volatile PebbleTemplate errorPage;

    private Problems() {}

    /** Registers the error and exception handlers; {@code templates} renders the HTML error page. */
    public static void install(Javalin app, PebbleEngine templates) {
        errorPage = templates.getTemplate("error");
        app.error(404, ctx -> {
            // Only when nothing wrote a body yet: an unknown path, not a handler's own 404 (which names the object).
            if (ctx.result() == null || ctx.result().isEmpty()) {
                unknownPath(ctx);
            }
        });
        app.exception(HttpResponseException.class, (e, ctx) -> {
            // With 405s preferred, Javalin reports an unknown path by throwing, worded as its own.
            if (e.getStatus() == 404
                    && e.getMessage().equals("Endpoint " + ctx.method() + " " + ctx.path() + " not found")) {
                unknownPath(ctx);
                return;
            }
            respond(ctx, e.getStatus(), titleOf(e.getStatus()), e.getMessage());
        });
        app.exception(
                ValidationException.class,
                (e, ctx) -> respond(
                        ctx,
                        400,
                        "Bad Request",
                        "Invalid input: " + e.getErrors().keySet() + "."));
        app.exception(
                JsonProcessingException.class,
                (e, ctx) -> respond(
                        ctx, 400, "Bad Request", "The request body is not valid JSON: " + e.getOriginalMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            if (rootCause(e) instanceof JsonProcessingException json) {
                respond(ctx, 400, "Bad Request", "The request body is not valid JSON: " + json.getOriginalMessage());
                return;
            }
            if (databaseAway(e)) {
                // Not a bug of ours and nothing the client did: say so, and let the ALB's health check act.
                log.warn(
                        "{} {}: the metadata database does not answer: {}",
                        ctx.method(),
                        ctx.path(),
                        rootCause(e).getMessage(),
                        e);
                respond(ctx, 503, "Service Unavailable", "The metadata database does not answer; try again shortly.");
                return;
            }
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            respond(ctx, 500, "Internal Server Error", "Something went wrong on the server; it has been logged.");
        });
    }

    /** No route has this path: under /api worded as Airflow's (naming the URL), so that it is told apart from a missing object. */
    private static void unknownPath(Context ctx) {
        respond(
                ctx,
                404,
                "Not Found",
                isApi(ctx)
                        ? "The requested URL " + ctx.path() + " was not found on the server;"
                                + " GET /api/v1/openapi.json lists the endpoints."
                        : "Nothing is at " + ctx.path() + ".");
    }

    /** Whether the request is for the REST API (problem JSON) rather than a page (HTML). */
    public static boolean isApi(Context ctx) {
        return ctx.path().equals("/api") || ctx.path().startsWith("/api/");
    }

    /** Writes an error answer in the request's shape: problem JSON under /api, an HTML page elsewhere. */
    public static void respond(Context ctx, int status, String title, String detail) {
        if (isApi(ctx)) {
            problem(ctx, status, title, detail);
        } else {
            page(ctx, status, title, detail);
        }
    }

    /** Writes a problem document as Airflow's API does. */
    public static void problem(Context ctx, int status, String title, String detail) {
        ctx.status(status).contentType(PROBLEM_JSON).json(body(ctx, status, title, detail));
        ctx.contentType(PROBLEM_JSON);
    }

    /** The fields of a problem document, for handlers that build their own response. */
    public static Map<String, Object> body(Context ctx, int status, String title, String detail) {
        return body(status, title, detail, ctx.path());
    }

    /** The fields of a problem document about {@code instance} (the path; null when unknown). */
    public static Map<String, Object> body(int status, String title, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + errorSection(status));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        return body;
    }

    /** Writes the HTML error page. */
    public static void page(Context ctx, int status, String title, String detail) {
        if (errorPage == null) {
            // Only before install (a handler tested on its own): fixed text, nothing user-supplied, so nothing to
            // escape.
            ctx.status(status)
                    .html("<!doctype html><title>" + status + "</title><h1>" + status + " " + titleOf(status)
                            + "</h1>");
            return;
        }
        StringWriter html = new StringWriter();
        try {
            // inside the normal layout: the signed-in user (when there is one) keeps the nav and the way out
            Map<String, Object> model = new java.util.HashMap<>();
            model.put("status", status);
            model.put("title", title);
            model.put("detail", detail == null ? "" : detail);
            dev.gust.webserver.auth.CurrentUser.of(ctx).ifPresent(user -> {
                model.put("user", user);
                model.put("canAdmin", user.role().includes(dev.gust.webserver.auth.Role.OP));
                model.put("isAdmin", user.role().includes(dev.gust.webserver.auth.Role.ADMIN));
                model.put("csrf", dev.gust.webserver.auth.Csrf.token(ctx));
            });
            errorPage.evaluate(html, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).html(html.toString());
    }

    /** The section of Airflow's REST API reference that describes errors of this status. */
    private static String errorSection(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthenticated";
            case 403 -> "PermissionDenied";
            case 404 -> "NotFound";
            case 409 -> "AlreadyExists";
            default -> "Unknown";
        };
    }

    /** The usual title of a status (Airflow's problem titles). */
    public static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    private static boolean databaseAway(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException
                    || cause instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
