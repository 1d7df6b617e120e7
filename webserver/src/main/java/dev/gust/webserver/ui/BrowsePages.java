package dev.gust.webserver.ui;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.runs.DagRunQuery;
import dev.gust.core.store.views.BrowseFilter;
import dev.gust.core.store.views.BrowseSlice;
import dev.gust.core.store.views.TaskInstanceBrowseQuery;
import dev.gust.core.store.views.XComBrowseQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Browse → DAG runs, Task instances and XComs: listings across every DAG, filtered by state, DAG
 * and when they started ("failed in the last 24 h" is {@code ?state=failed&since=24h}), the
 * newest runs first, a page at a time. A filter that cannot be read is named in a message and left out; the
 * page still answers.
 */
public final class BrowsePages {

    static final int PAGE_SIZE = 50;

    /** The {@code since} choices, in the order the filter offers them. */
    static final Map<String, Duration> WINDOWS = windows();

    private final Pages pages;
    private final Clock clock;
    private final DagRunQuery runs;
    private final TaskInstanceBrowseQuery taskInstances;
    private final XComBrowseQuery xcoms;

    public BrowsePages(Pages pages, WebServices services) {
        this.pages = pages;
        this.clock = services.clock();
        this.runs = new DagRunQuery(services.jdbc());
        this.taskInstances = new TaskInstanceBrowseQuery(services.jdbc());
        this.xcoms = new XComBrowseQuery(services.jdbc());
    }

    public void runs(Context ctx) {
        Filters f = filters(
                ctx,
                Arrays.stream(DagRunState.values()).map(DagRunState::dbName).toList());
        int page = page(ctx);
        Page<DagRunQuery.Listed> listed = runs.list(
                new DagRunQuery.Filter(
                        f.filter().dagId(),
                        f.filter().states(),
                        null,
                        null,
                        f.filter().startedFrom(),
                        f.filter().startedTo() == null
                                ? null
                                : f.filter().startedTo().minusNanos(1000),
                        null,
                        null,
                        null,
                        null),
                DagRunQuery.orderBy("-id"),
                PAGE_SIZE,
                (page - 1) * PAGE_SIZE);
        Map<String, Object> model = f.model("/browse/runs", page, (long) page * PAGE_SIZE < listed.totalEntries());
        model.put("runs", listed.items().stream().map(DagRunQuery.Listed::run).toList());
        model.put("total", listed.totalEntries());
        pages.html(ctx, "browse_runs", model);
    }

    public void taskInstances(Context ctx) {
        Filters f = filters(
                ctx, Arrays.stream(TaskState.values()).map(TaskState::dbName).toList());
        BrowseSlice<TaskInstanceBrowseQuery.Row> slice = taskInstances.page(f.filter(), page(ctx), PAGE_SIZE);
        Map<String, Object> model = f.model("/browse/task-instances", slice.page(), slice.hasMore());
        model.put("rows", slice.items());
        pages.html(ctx, "browse_task_instances", model);
    }

    public void xcoms(Context ctx) {
        String dagId = text(ctx, "dag_id");
        String taskId = text(ctx, "task_id");
        String key = text(ctx, "key");
        BrowseSlice<XComBrowseQuery.Row> slice = xcoms.page(dagId, taskId, key, page(ctx), PAGE_SIZE);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dag_id", dagId);
        query.put("task_id", taskId);
        query.put("key", key);
        Map<String, Object> model = new HashMap<>();
        model.put("rows", slice.items());
        model.put("dagId", dagId);
        model.put("taskId", taskId);
        model.put("key", key);
        pager(model, "/browse/xcoms", query, slice.page(), slice.hasMore());
        pages.html(ctx, "browse_xcoms", model);
    }

    /** The filters as read from the address, what the form shows back, and what could not be read. */
    private record Filters(
            BrowseFilter filter, Map<String, Object> form, Map<String, String> query, List<String> errors) {

        Map<String, Object> model(String path, int page, boolean hasMore) {
            Map<String, Object> model = new HashMap<>(form);
            model.put("errors", errors);
            model.put("windows", WINDOWS.keySet());
            pager(model, path, query, page, hasMore);
            return model;
        }
    }

    private Filters filters(Context ctx, List<String> knownStates) {
        List<String> errors = new ArrayList<>();
        List<String> states = new ArrayList<>();
        for (String state : ctx.queryParams("state")) {
            if (state.isBlank()) {
                continue;
            }
            if (knownStates.contains(state.strip())) {
                states.add(state.strip());
            } else {
                errors.add("state '" + state.strip() + "' is not one of " + String.join(", ", knownStates)
                        + "; it was left out of the filter");
            }
        }
        String since = text(ctx, "since");
        Instant from = null;
        if (!since.isEmpty()) {
            Duration window = WINDOWS.get(since);
            if (window == null) {
                errors.add("since '" + since + "' is not one of " + String.join(", ", WINDOWS.keySet())
                        + "; it was left out of the filter");
                since = "";
            } else {
                from = clock.instant().minus(window);
            }
        }
        String fromText = text(ctx, "from");
        String toText = text(ctx, "to");
        Instant fromDate = date(fromText, "from", errors);
        Instant to = date(toText, "to", errors);
        if (fromDate != null && (from == null || fromDate.isAfter(from))) {
            from = fromDate;
        }
        String dagId = text(ctx, "dag_id");
        Map<String, Object> form = new HashMap<>();
        form.put("dagId", dagId);
        form.put("states", knownStates);
        form.put("state", states.isEmpty() ? "" : states.getFirst());
        form.put("since", since);
        form.put("from", fromText);
        form.put("to", toText);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dag_id", dagId);
        query.put("state", String.join(",", states));
        query.put("since", since);
        query.put("from", fromText);
        query.put("to", toText);
        return new Filters(new BrowseFilter(dagId, states, from, to), form, query, errors);
    }

    private static Instant date(String text, String name, List<String> errors) {
        try {
            return RunActions.parseDate(text);
        } catch (IllegalArgumentException e) {
            errors.add(name + " '" + text + "' is not a date; write it like 2024-01-31 or 2024-01-31T06:00:00Z"
                    + " (UTC unless it names its zone); it was left out of the filter");
            return null;
        }
    }

    /** Links to the page before and after this one, keeping the filters. */
    static void pager(Map<String, Object> model, String path, Map<String, String> query, int page, boolean hasMore) {
        model.put("page", page);
        model.put("prevHref", page > 1 ? href(path, query, page - 1) : null);
        model.put("nextHref", hasMore ? href(path, query, page + 1) : null);
    }

    private static String href(String path, Map<String, String> query, int page) {
        StringBuilder href = new StringBuilder(path).append("?");
        query.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                return;
            }
            // a comma-joined list goes back as repeated parameters
            for (String one : name.equals("state") ? value.split(",") : new String[] {value}) {
                href.append(name).append('=').append(Fmt.segment(one)).append('&');
            }
        });
        return href.append("page=").append(page).toString();
    }

    private static int page(Context ctx) {
        return Math.max(1, DagListPage.intParam(ctx, "page", 1));
    }

    private static String text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null ? "" : value.strip();
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> windows = new LinkedHashMap<>();
        windows.put("1h", Duration.ofHours(1));
        windows.put("24h", Duration.ofHours(24));
        windows.put("7d", Duration.ofDays(7));
        windows.put("30d", Duration.ofDays(30));
        return java.util.Collections.unmodifiableMap(windows);
    }
}
