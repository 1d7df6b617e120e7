package dev.gust.webserver.api.dags;

import dev.gust.core.store.dags.DagRepository;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.dags.DagSourceFile;
import io.javalin.http.Context;
import java.util.Map;

/**
 * A DAG's file by its {@code file_token} ({@link DagFileTokens}): Airflow's
 * {@code GET /dagSources/{file_token}} (the file's text, as JSON {@code {"content"}} or as plain
 * text, whichever the client accepts) and {@code PUT /parseDagFile/{file_token}} (asks the
 * scheduler to parse the file again at its next pass, through a row in the database).
 */
public final class DagSourcesApi {

    private final ApiContext api;
    private final DagRepository dags;

    private DagSourcesApi(ApiContext api) {
        this.api = api;
        this.dags = api.services().stores().dags();
    }

    public static void register(ApiRouter router, ApiContext api) {
        DagSourcesApi handlers = new DagSourcesApi(api);
        router.get("/dagSources/{file_token}", handlers::source, Role.VIEWER);
        router.put("/parseDagFile/{file_token}", handlers::reparse, Role.USER);
    }

    private void source(Context ctx) {
        String fileloc = fileloc(ctx);
        String source = DagSourceFile.read(api.services().config().core().dagsFolder(), fileloc)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Code not found",
                        "the DAG file " + fileloc + " is not readable by this web server (it reads the DAG folder "
                                + "core.dags_folder); run the web server where the DAG folder is"));
        switch (accepted(ctx.header("Accept"))) {
            case "json" -> ApiJson.ok(ctx, Map.of("content", source));
            case "text" ->
                ctx.status(200).contentType("text/plain; charset=utf-8").result(source);
            default ->
                throw new ApiProblem(
                        406, "Not Acceptable", "the DAG source is sent as application/json or text/plain; accept one");
        }
    }

    /** Airflow answers 201 with no body once the request is recorded. */
    private void reparse(Context ctx) {
        String fileloc = fileloc(ctx);
        dags.requestReparse(fileloc);
        api.audit(ctx, "reparse_dag_file", null, null, null, fileloc);
        ctx.status(201);
    }

    private String fileloc(Context ctx) {
        String token = ctx.pathParam("file_token");
        return DagFileTokens.resolve(token, dags.filelocs())
                .orElseThrow(() -> ApiProblem.notFound(
                        "Dag file not found",
                        "file_token '" + token + "' names no DAG file; take it from a DAG's file_token"));
    }

    /**
     * What the client accepts, as Airflow's {@code best_match(["text/plain", "application/json"])}:
     * plain text first, so a client that accepts anything gets the text.
     */
    static String accepted(String accept) {
        if (accept == null || accept.isBlank()) {
            return "text";
        }
        String value = accept.toLowerCase(java.util.Locale.ROOT);
        if (value.contains("text/plain") || value.contains("*/*") || value.contains("text/*")) {
            return "text";
        }
        if (value.contains("application/json") || value.contains("application/*")) {
            return "json";
        }
        return "none";
    }
}
