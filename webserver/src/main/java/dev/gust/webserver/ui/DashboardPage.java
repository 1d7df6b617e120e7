package dev.gust.webserver.ui;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.pools.PoolUsage;
import dev.gust.core.store.views.ClusterActivityQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard, Airflow 3's home page ("cluster activity"): is a scheduler alive (its jobs and
 * their heartbeats, judged by {@code scheduler.health_check_threshold}), how busy the executors
 * are (task instances running and queued against {@code core.parallelism} per live scheduler),
 * the pools in use, runs and task instances by state over the last day (each count links to
 * Browse with that filter), and how many import errors and DAG warnings wait to be read.
 */
public final class DashboardPage {

    static final Duration WINDOW = Duration.ofHours(24);

    /** A job row as the page shows it. */
    public record JobRow(ClusterActivityQuery.Job job, boolean healthy) {}

    /** One state's count and the Browse address that lists them. */
    public record StateCount(String state, long count, String href) {}

    private final Pages pages;
    private final WebServices services;
    private final ClusterActivityQuery query;

    public DashboardPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.services = services;
        this.query = new ClusterActivityQuery(services.jdbc());
    }

    public void show(Context ctx) {
        Duration threshold = services.config().scheduler().healthCheckThreshold();
        List<JobRow> jobs = query.jobs(WINDOW).stream()
                .map(job -> new JobRow(
                        job, job.state().equals("running") && job.heartbeatAge().compareTo(threshold) <= 0))
                .toList();
        long liveSchedulers = jobs.stream()
                .filter(j -> j.healthy() && j.job().jobType().equals(JobRepository.SCHEDULER))
                .count();
        Instant since = services.clock().instant().minus(WINDOW);
        Map<String, Long> runStates = query.runStates(since);
        Map<String, Long> tiStates = query.taskInstanceStates(since);
        List<PoolUsage> pools = services.stores().pools().usage();
        int parallelism = services.config().core().parallelism();

        Map<String, Object> model = new HashMap<>();
        model.put("jobs", jobs);
        model.put("threshold", threshold);
        model.put("healthy", liveSchedulers > 0);
        model.put("slots", liveSchedulers * parallelism);
        model.put("parallelism", parallelism);
        model.put("running", tiStates.getOrDefault(TaskState.RUNNING.dbName(), 0L));
        model.put("queued", tiStates.getOrDefault(TaskState.QUEUED.dbName(), 0L));
        model.put(
                "runStates",
                counts(
                        runStates,
                        java.util.Arrays.stream(DagRunState.values())
                                .map(DagRunState::dbName)
                                .toList(),
                        "/browse/runs"));
        model.put(
                "tiStates",
                counts(
                        tiStates,
                        java.util.Arrays.stream(TaskState.values())
                                .map(TaskState::dbName)
                                .toList(),
                        "/browse/task-instances"));
        model.put("pools", pools);
        model.put("dags", query.dagCounts());
        model.put("importErrorCount", services.stores().importErrors().list().size());
        model.put("dagWarningCount", query.dagWarnings());
        pages.html(ctx, "dashboard", model);
    }

    /** Every state in the enum's order, zero counts included, each linking to its filtered listing. */
    private static List<StateCount> counts(Map<String, Long> counts, List<String> states, String path) {
        List<StateCount> rows = new ArrayList<>();
        for (String state : states) {
            rows.add(new StateCount(state, counts.getOrDefault(state, 0L), path + "?state=" + state + "&since=24h"));
        }
        return rows;
    }
}
