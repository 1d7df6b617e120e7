package dev.gust.webserver.ui;

import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.views.RunGanttQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Gantt tab (Airflow's Gantt view): one row per task instance of a run, one bar per try,
 * a grey segment while it was queued and a segment in its state's colour while it ran, placed on
 * the run's time line from its first queued try to its last end (now, while it goes). The bars
 * are server-drawn boxes placed in percent, so the chart needs no script; the table under it says
 * the same in words.
 */
public final class GanttPage {

    static final int PICKER_RUNS = 50;

    /** One try's bar: where its queued and running segments lie, in percent of the time line (null: none). */
    public record Bar(RunGanttQuery.Try attempt, String queuedStyle, String runStyle, String title) {}

    /** One row of the chart: a task instance (its map index in the label when it is mapped) and its tries. */
    public record Row(String taskId, String label, String state, List<Bar> bars) {}

    /** The time line's tick: where it sits (percent) and the time since the line's start in words. */
    public record Tick(String style, String label) {}

    private final Pages pages;
    private final DagPage dagPage;
    private final DagRunRepository runs;
    private final RunGanttQuery query;
    private final Clock clock;

    public GanttPage(Pages pages, DagPage dagPage, WebServices services) {
        this.pages = pages;
        this.dagPage = dagPage;
        this.runs = services.stores().dagRuns();
        this.query = new RunGanttQuery(services.jdbc());
        this.clock = services.clock();
    }

    public void show(Context ctx) {
        DagPage.Header header = dagPage.header(ctx);
        String dagId = header.dag().dagId();
        List<DagRun> recent = runs.listForDag(dagId, null, PICKER_RUNS);
        DagRun selected = RunPicker.selected(ctx, dagId, recent, runs);
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "gantt");
        model.put("picker", RunPicker.choices(recent, selected));
        model.put("selected", selected);
        List<RunGanttQuery.Try> tries = selected == null ? List.of() : query.tries(dagId, selected.runId());
        Instant now = clock.instant();
        Instant first = tries.stream()
                .map(GanttPage::firstInstant)
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .orElse(null);
        Instant last = tries.stream()
                .map(t -> lastInstant(t, now))
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(first);
        double span =
                first == null ? 0 : Math.max(1, Duration.between(first, last).toMillis());
        model.put("start", first);
        model.put("end", last);
        model.put("span", first == null ? "" : Fmt.INSTANCE.seconds(span / 1000.0));
        List<Row> rows = rows(header, tries, first, span, now);
        model.put("rows", rows);
        model.put("ticks", ticks(span));
        // the table in the chart's order: the DAG's order of tasks, each task's tries in turn
        model.put(
                "tries",
                rows.stream()
                        .flatMap(row -> row.bars().stream().map(Bar::attempt))
                        .toList());
        pages.html(ctx, "dag_gantt", model);
    }

    private static List<Row> rows(
            DagPage.Header header, List<RunGanttQuery.Try> tries, Instant first, double span, Instant now) {
        // rows in the DAG's own order of tasks, then any task the DAG no longer has
        Map<String, Integer> order = new HashMap<>();
        List<TaskSpec> tasks = header.dag().tasks();
        for (int i = 0; i < tasks.size(); i++) {
            order.put(tasks.get(i).taskId(), i);
        }
        Map<String, List<RunGanttQuery.Try>> byInstance = new LinkedHashMap<>();
        tries.stream()
                .sorted(Comparator.comparing((RunGanttQuery.Try t) -> order.getOrDefault(t.taskId(), Integer.MAX_VALUE))
                        .thenComparing(RunGanttQuery.Try::taskId)
                        .thenComparingInt(RunGanttQuery.Try::mapIndex)
                        .thenComparingInt(RunGanttQuery.Try::tryNumber))
                .forEach(t -> byInstance
                        .computeIfAbsent(t.taskId() + "\u0000" + t.mapIndex(), k -> new ArrayList<>())
                        .add(t));
        List<Row> rows = new ArrayList<>();
        for (List<RunGanttQuery.Try> instance : byInstance.values()) {
            RunGanttQuery.Try latest = instance.getLast();
            List<Bar> bars = new ArrayList<>();
            for (RunGanttQuery.Try t : instance) {
                bars.add(bar(t, first, span, now));
            }
            String label = latest.mapIndex() < 0 ? latest.taskId() : latest.taskId() + " [" + latest.mapIndex() + "]";
            rows.add(new Row(latest.taskId(), label, latest.state(), bars));
        }
        return rows;
    }

    private static Bar bar(RunGanttQuery.Try t, Instant first, double span, Instant now) {
        String queued = null;
        String running = null;
        if (first != null) {
            if (t.queuedAt() != null) {
                Instant queuedEnd = t.startDate() != null ? t.startDate() : t.endDate() != null ? t.endDate() : now;
                queued = style(first, span, t.queuedAt(), queuedEnd);
            }
            if (t.startDate() != null) {
                running = style(first, span, t.startDate(), t.endDate() != null ? t.endDate() : now);
            }
        }
        String title = t.taskId() + (t.mapIndex() < 0 ? "" : " [" + t.mapIndex() + "]")
                + "\ntry: " + t.tryNumber()
                + "\nstate: " + t.state()
                + (t.queuedAt() == null ? "" : "\nqueued: " + Fmt.INSTANCE.utc(t.queuedAt()))
                + (t.startDate() == null ? "" : "\nstarted: " + Fmt.INSTANCE.utc(t.startDate()))
                + (t.endDate() == null ? "" : "\nended: " + Fmt.INSTANCE.utc(t.endDate()))
                + (t.startDate() == null ? "" : "\nran for: " + Fmt.INSTANCE.duration(t.startDate(), t.endDate()));
        return new Bar(t, queued, running, title);
    }

    /** The CSS that places a segment from {@code from} to {@code to}, at least a sliver wide so it shows. */
    private static String style(Instant first, double span, Instant from, Instant to) {
        double left = 100.0 * Duration.between(first, from).toMillis() / span;
        double width = 100.0 * Math.max(0, Duration.between(from, to).toMillis()) / span;
        left = Math.max(0, Math.min(left, 99.5));
        width = Math.max(0.5, Math.min(width, 100 - left));
        return String.format(Locale.ROOT, "left:%.2f%%;width:%.2f%%", left, width);
    }

    private static List<Tick> ticks(double span) {
        List<Tick> ticks = new ArrayList<>();
        if (span <= 0) {
            return ticks;
        }
        for (int i = 0; i <= 4; i++) {
            String style = String.format(Locale.ROOT, "left:%d%%", i * 25);
            ticks.add(new Tick(style, i == 0 ? "0s" : "+" + Fmt.INSTANCE.seconds(span * i / 4 / 1000.0)));
        }
        return ticks;
    }

    private static Instant firstInstant(RunGanttQuery.Try t) {
        return t.queuedAt() != null ? t.queuedAt() : t.startDate();
    }

    private static Instant lastInstant(RunGanttQuery.Try t, Instant now) {
        if (t.endDate() != null) {
            return t.endDate();
        }
        return t.startDate() != null || t.queuedAt() != null ? now : null;
    }
}
