package dev.gust.core.dag.sync;

import dev.gust.core.metrics.GustMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link DagFolderSync#sync()} every {@code core.dag_dir_list_interval} on one background
 * thread, after refreshing the folder from its {@link DagFolderSource} when it has one (a DAG
 * bundle on S3). A failed round (the database went away, the folder is missing) is logged and retried
 * on the next tick; it never stops the process that hosts it.
 */
public final class DagFolderPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DagFolderPoller.class);

    private final DagFolderSync sync;
    private final DagFolderSource source;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dag-folder-poller").daemon().factory());
    private final GustMetrics metrics;
    private volatile String lastProblem;

    public DagFolderPoller(DagFolderSync sync) {
        this(sync, null);
    }

    /** A poller whose folder is refreshed from {@code source} (null: none) before each scan. */
    public DagFolderPoller(DagFolderSync sync, DagFolderSource source) {
        this(sync, source, GustMetrics.off());
    }

    /** As above, reporting each scan's time, DAGs and import errors to {@code metrics} ({@code dag_processing.*}). */
    public DagFolderPoller(DagFolderSync sync, DagFolderSource source, GustMetrics metrics) {
        this.sync = sync;
        this.source = source;
        this.metrics = metrics;
    }

    /** Syncs once now (so that the caller can report the outcome) and then every {@code interval}. */
    public DagFolderSync.SyncOutcome start(Duration interval) {
        DagFolderSync.SyncOutcome first = syncOnce();
        executor.scheduleWithFixedDelay(
                this::syncQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return first;
    }

    private DagFolderSync.SyncOutcome syncOnce() {
        long start = System.nanoTime();
        DagFolderSync.SyncOutcome outcome = source == null ? sync.sync() : sync.sync(source.refresh());
        metrics.dagFolderScanned(System.nanoTime() - start, outcome.dags(), outcome.importErrors());
        return outcome;
    }

    private void syncQuietly() {
        try {
            DagFolderSync.SyncOutcome outcome = syncOnce();
            if (lastProblem != null) {
                log.info("DAG folder sync works again");
                lastProblem = null;
            }
            if (outcome.changedFiles() > 0 || outcome.dagsDeactivated() > 0) {
                log.info(
                        "DAG folder: {} files changed, {} DAGs written, {} deactivated, {} import errors",
                        outcome.changedFiles(),
                        outcome.dagsWritten(),
                        outcome.dagsDeactivated(),
                        outcome.importErrors());
            }
        } catch (RuntimeException e) {
            String problem = e.getMessage();
            // Say it once per distinct problem, not every few seconds.
            if (!problem.equals(lastProblem)) {
                log.warn("DAG folder sync failed, will retry: {}", problem);
                lastProblem = problem;
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sync.close();
        if (source != null) {
            source.close();
        }
    }
}
