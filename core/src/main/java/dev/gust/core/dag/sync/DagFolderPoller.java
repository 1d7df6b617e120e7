package dev.gust.core.dag.sync;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link DagFolderSync#sync()} every {@code core.dag_dir_list_interval} on one background
 * thread. A failed round (the database went away, the folder is missing) is logged and retried
 * on the next tick; it never stops the process that hosts it.
 */
public final class DagFolderPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DagFolderPoller.class);

    private final DagFolderSync sync;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dag-folder-poller").daemon().factory());
    private volatile String lastProblem;

    public DagFolderPoller(DagFolderSync sync) {
        this.sync = sync;
    }

    /** Syncs once now (so that the caller can report the outcome) and then every {@code interval}. */
    public DagFolderSync.SyncOutcome start(Duration interval) {
        DagFolderSync.SyncOutcome first = sync.sync();
        executor.scheduleWithFixedDelay(
                this::syncQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return first;
    }

    private void syncQuietly() {
        try {
            DagFolderSync.SyncOutcome outcome = sync.sync();
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
    }
}
