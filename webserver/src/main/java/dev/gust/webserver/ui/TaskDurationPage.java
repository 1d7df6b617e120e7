package dev.gust.webserver.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.views.TaskDurationQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task duration and landing times tabs (Airflow's "Task Duration" and "Landing Times"): over
 * the DAG's last runs, a line per task of how long it ran, or of when it landed: its end minus
 * the end of its run's data interval (the logical date for a run without one). The figures go to
 * the page as JSON in a {@code data-chart} attribute that {@code charts.js} draws with uPlot (no
 * inline script), and as a table that needs no script.
 */
public final class TaskDurationPage {

    static final int DEFAULT_RUNS = 25;
    static final int MAX_RUNS = 365;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which figure a tab charts. */
    enum Measure {
        DURATION("duration", "Task duration", "How long each task ran"),
        LANDING("landing", "Landing times", "When each task ended, after its run's data interval ended");

        final String tab;
        final String title;
        final String caption;

        Measure(String tab, String title, String caption) {
            this.tab = tab;
            this.title = title;
            this.caption = caption;
        }
    }

    /** One run's row of the table: the run and each task's figure in words (empty: none). */
    public record RunRow(DagRun run, List<String> figures) {}

    /** What {@code charts.js} draws: x in epoch seconds (the runs' logical dates), one series per task, y in seconds. */
    public record Chart(String title, List<Long> x, List<Series> series) {}

    /** One task's line: a figure in seconds per run, null where the task has none. */
    public record Series(String label, List<Double> values) {}

    private final Pages pages;
    private final DagPage dagPage;
    private final DagRunRepository runs;
    private final TaskDurationQuery query;

    public TaskDurationPage(Pages pages, DagPage dagPage, WebServices services) {
        this.pages = pages;
        this.dagPage = dagPage;
        this.runs = services.stores().dagRuns();
        this.query = new TaskDurationQuery(services.jdbc());
    }

    public void duration(Context ctx) {
        show(ctx, Measure.DURATION);
    }

    public void landing(Context ctx) {
        show(ctx, Measure.LANDING);
    }

    private void show(Context ctx, Measure measure) {
        DagPage.Header header = dagPage.header(ctx);
        String dagId = header.dag().dagId();
        int limit = Math.min(MAX_RUNS, Math.max(1, DagListPage.intParam(ctx, "runs", DEFAULT_RUNS)));
        List<DagRun> shown = runs.listForDag(dagId, null, limit).stream()
                .sorted(Comparator.comparing(DagRun::logicalDate))
                .toList();
        Map<String, Map<String, TaskDurationQuery.TaskTiming>> timings = new HashMap<>();
        for (TaskDurationQuery.TaskTiming timing :
                query.timings(dagId, shown.stream().map(DagRun::runId).toList())) {
            timings.computeIfAbsent(timing.runId(), k -> new HashMap<>()).put(timing.taskId(), timing);
        }
        // the DAG's tasks in its order, then any task only old runs had
        Set<String> taskIds = new LinkedHashSet<>();
        header.dag().tasks().stream().map(TaskSpec::taskId).forEach(taskIds::add);
        timings.values().forEach(byTask -> byTask.keySet().stream().sorted().forEach(taskIds::add));
        List<Series> series = new ArrayList<>();
        for (String taskId : taskIds) {
            List<Double> values = new ArrayList<>(shown.size());
            for (DagRun run : shown) {
                values.add(figure(
                        measure,
                        run,
                        timings.getOrDefault(run.runId(), Map.of()).get(taskId)));
            }
            series.add(new Series(taskId, values));
        }
        List<RunRow> table = new ArrayList<>();
        for (int r = shown.size() - 1; r >= 0; r--) {
            List<String> figures = new ArrayList<>(series.size());
            for (Series s : series) {
                figures.add(words(s.values().get(r)));
            }
            table.add(new RunRow(shown.get(r), figures));
        }
        Chart chart = new Chart(
                measure.title,
                shown.stream().map(run -> run.logicalDate().getEpochSecond()).toList(),
                series);
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", measure.tab);
        model.put("title", measure.title);
        model.put("caption", measure.caption);
        model.put("limit", limit);
        model.put("taskIds", List.copyOf(taskIds));
        model.put("table", table);
        model.put("chartJson", json(chart));
        pages.html(ctx, "dag_durations", model);
    }

    private static Double figure(Measure measure, DagRun run, TaskDurationQuery.TaskTiming timing) {
        if (timing == null) {
            return null;
        }
        return switch (measure) {
            case DURATION -> timing.seconds();
            case LANDING -> {
                Instant due = run.dataIntervalEnd() != null ? run.dataIntervalEnd() : run.logicalDate();
                yield timing.endDate() == null
                        ? null
                        : Duration.between(due, timing.endDate()).toMillis() / 1000.0;
            }
        };
    }

    /** Seconds in words; a landing before its interval's end (a manual run) is negative and says so. */
    static String words(Double seconds) {
        if (seconds == null) {
            return "";
        }
        return seconds < 0 ? "-" + Fmt.INSTANCE.seconds(-seconds) : Fmt.INSTANCE.seconds(seconds);
    }

    private static String json(Chart chart) {
        try {
            return JSON.writeValueAsString(chart);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the chart's figures could not be written as JSON", e);
        }
    }
}
