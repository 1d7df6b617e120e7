package dev.gust.webserver.api.tasks;

import dev.gust.core.store.query.Page;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceQuery;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A task instance's tries (Airflow 2.10's {@code tries} and {@code tries/{task_try_number}}, also
 * of one mapped instance) and the log of each try. A try is what {@code task_instance_try} kept of
 * it; the current task instance stands for its own try when that try left no row yet (it has not
 * started, or it ran before Gust kept tries).
 */
final class TaskInstanceTriesApi {

    private static final Map<String, Comparator<TaskInstanceResponse>> ORDER = Map.of(
            "try_number", Comparator.comparingInt(TaskInstanceResponse::tryNumber),
            "start_date",
                    Comparator.comparing(
                            TaskInstanceResponse::startDate, Comparator.nullsFirst(Comparator.naturalOrder())),
            "end_date",
                    Comparator.comparing(
                            TaskInstanceResponse::endDate, Comparator.nullsFirst(Comparator.naturalOrder())),
            "duration",
                    Comparator.comparing(
                            TaskInstanceResponse::duration, Comparator.nullsFirst(Comparator.naturalOrder())));

    private final ApiContext api;
    private final TaskInstanceLookup lookup;
    private final TaskInstanceQuery query;
    private final TaskLogAnswer logAnswer;

    private TaskInstanceTriesApi(ApiContext api, TaskInstanceLookup lookup) {
        this.api = api;
        this.lookup = lookup;
        this.query = new TaskInstanceQuery(api.services().jdbc());
        this.logAnswer = new TaskLogAnswer(api.services().stores().taskLogs());
    }

    /** Registers the routes of unmapped task instances ({@code path} is TI_PATH) or of one mapped instance. */
    static void register(ApiRouter router, ApiContext api, TaskInstanceLookup lookup, String path) {
        TaskInstanceTriesApi handlers = new TaskInstanceTriesApi(api, lookup);
        router.get(path + "/tries", handlers::tries, Role.VIEWER);
        router.get(path + "/tries/{task_try_number}", handlers::oneTry, Role.VIEWER);
    }

    static void registerLogs(ApiRouter router, ApiContext api, TaskInstanceLookup lookup) {
        TaskInstanceTriesApi handlers = new TaskInstanceTriesApi(api, lookup);
        router.get(TaskInstanceLookup.TI_PATH + "/logs/{task_try_number}", handlers::log, Role.VIEWER);
    }

    private void tries(Context ctx) {
        TaskInstanceQuery.Listed listed = lookup.taskInstance(ctx);
        String orderBy =
                ctx.queryParam("order_by") == null || ctx.queryParam("order_by").isBlank()
                        ? "try_number"
                        : ctx.queryParam("order_by").strip();
        boolean descending = orderBy.startsWith("-");
        Comparator<TaskInstanceResponse> comparator = ORDER.get(descending ? orderBy.substring(1) : orderBy);
        if (comparator == null) {
            throw ApiProblem.badRequest("order_by '" + orderBy
                    + "' is not allowed; use one of try_number, start_date, end_date, duration"
                    + " (with '-' before it for descending)");
        }
        List<TaskInstanceResponse> all = allTries(listed);
        all.sort(descending ? comparator.reversed() : comparator);
        api.answerPage(
                ctx,
                paging -> Page.of(all, paging.limit(), paging.offset()),
                item -> item,
                TaskInstanceResponse.Collection::new);
    }

    private void oneTry(Context ctx) {
        TaskInstanceQuery.Listed listed = lookup.taskInstance(ctx);
        int tryNumber = TaskInstanceLookup.tryNumberPath(ctx);
        ApiJson.ok(
                ctx,
                allTries(listed).stream()
                        .filter(t -> t.tryNumber() == tryNumber)
                        .findFirst()
                        .orElseThrow(() -> ApiProblem.notFound(
                                "Task instance try not found",
                                "task instance " + listed.taskInstance().key() + " has no try " + tryNumber
                                        + "; its tries list them")));
    }

    private List<TaskInstanceResponse> allTries(TaskInstanceQuery.Listed listed) {
        TaskInstance ti = listed.taskInstance();
        List<TaskInstanceResponse> tries = new ArrayList<>();
        for (TaskInstanceQuery.Try attempt : query.tries(ti.key())) {
            tries.add(TaskInstanceResponse.of(attempt));
        }
        if (tries.stream().noneMatch(t -> t.tryNumber() == ti.tryNumber())) {
            tries.add(TaskInstanceResponse.of(listed));
        }
        return tries;
    }

    /**
     * The log of one try, a page at a time unless {@code full_content=true} ({@link TaskLogAnswer}).
     * The token is where the next read starts, so a client following a running task asks again
     * with it and gets only what is new.
     */
    private void log(Context ctx) {
        TaskInstance ti = lookup.taskInstance(ctx).taskInstance();
        int tryNumber = TaskInstanceLookup.tryNumberPath(ctx);
        if (tryNumber < 1 || tryNumber > Math.max(ti.tryNumber(), 1)) {
            throw ApiProblem.notFound(
                    "Task log not found",
                    "task instance " + ti.key() + " has no try " + tryNumber + "; its tries are 1 to "
                            + Math.max(ti.tryNumber(), 1));
        }
        Boolean fullContent = ApiRequest.boolParam(ctx, "full_content");
        String token = ApiRequest.textParam(ctx, "token");
        logAnswer.send(ctx, ti.key(), tryNumber, Boolean.TRUE.equals(fullContent), token);
    }
}
