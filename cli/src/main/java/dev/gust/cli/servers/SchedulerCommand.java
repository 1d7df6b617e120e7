package dev.gust.cli.servers;

import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderPoller;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.store.Database;
import dev.gust.core.store.Params;
import dev.gust.scheduler.bundle.S3DagBundle;
import dev.gust.scheduler.engine.SchedulerContext;
import dev.gust.scheduler.engine.SchedulerEngine;
import dev.gust.scheduler.health.SchedulerHealthServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gust scheduler}: the DAG folder kept in sync, schedules turned into runs, tasks run by
 * the local executor, and {@code /health} on {@code scheduler.health_port} for the container
 * health check. Several may run at once against one database. Stops on SIGTERM.
 */
@Command(
        name = "scheduler",
        mixinStandardHelpOptions = true,
        description = "Run the scheduler: DAG folder sync, schedules, task execution.")
public final class SchedulerCommand implements Runnable {

    @Mixin
    MetadataAccess metadata;

    @Override
    public void run() {
        GustConfig config = metadata.daemonConfig().requireExecutorSettings();
        PrintWriter out = metadata.out();
        Components components = Components.start(metadata.open(config), out);
        out.println("gust: scheduler running (Ctrl+C or SIGTERM stops it)");
        out.flush();
        components.awaitShutdown(metadata.err());
    }

    /** The long-running parts a scheduler process is made of, and their orderly stop. */
    static final class Components {
        private final Database database;
        private final DagFolderPoller poller;
        private final SchedulerEngine engine;
        private final SchedulerHealthServer health;
        private final MetricsExport metrics;
        private AutoCloseable extra;

        private Components(
                Database database,
                DagFolderPoller poller,
                SchedulerEngine engine,
                SchedulerHealthServer health,
                MetricsExport metrics) {
            this.database = database;
            this.poller = poller;
            this.engine = engine;
            this.health = health;
            this.metrics = metrics;
        }

        /** The process's metrics, for a web server in the same process (standalone). */
        MetricsExport metrics() {
            return metrics;
        }

        static Components start(CliContext cli, PrintWriter out) {
            GustConfig config = cli.config();
            Database database = cli.database();
            MetricsExport metrics = MetricsExport.start(config.metrics());
            DagFolderPoller poller = new DagFolderPoller(cli.dagFolderSync(), dagBundle(config), metrics.metrics());
            SchedulerEngine engine = new SchedulerEngine(
                    SchedulerContext.create(config, database, Clock.systemUTC(), metrics.metrics()));
            SchedulerHealthServer health = new SchedulerHealthServer(
                    engine::lastRoundCompleted,
                    () -> database.jdbc()
                            .queryOne("SELECT 1", Params.none(), row -> row.getInt(1))
                            .isPresent(),
                    config.scheduler().healthCheckThreshold(),
                    Clock.systemUTC(),
                    metrics::scrape);
            try {
                int healthPort = startHealth(health, config.scheduler().healthPort());
                out.printf("gust: scheduler health at http://localhost:%d/health, metrics at /metrics%n", healthPort);
                // Quartz is built on another core while the DAG folder syncs; the loop starts after both
                CompletableFuture<Void> quartz = CompletableFuture.runAsync(
                        engine::prepare,
                        work -> Thread.ofPlatform().name("prepare-quartz").start(work));
                var loaded = poller.start(config.core().dagDirListInterval());
                out.printf(
                        "gust: %d DAGs loaded from %s%s (%d import errors), re-scanned every %ds%n",
                        loaded.dags(),
                        config.core().dagsFolder().toAbsolutePath(),
                        config.dagBundle().fromS3()
                                ? " (DAG bundle " + config.dagBundle().s3Uri() + ")"
                                : "",
                        loaded.importErrors(),
                        config.core().dagDirListInterval().toSeconds());
                try {
                    quartz.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
                engine.start();
            } catch (RuntimeException e) {
                health.close();
                engine.close();
                poller.close();
                database.close();
                metrics.close();
                throw e;
            }
            return new Components(database, poller, engine, health, metrics);
        }

        /** The DAG bundle on S3 that refreshes the DAG folder, when {@code dag_bundle.s3_uri} names one. */
        private static S3DagBundle dagBundle(GustConfig config) {
            if (!config.dagBundle().fromS3()) {
                return null;
            }
            try {
                return S3DagBundle.of(config.dagBundle().s3Uri(), config.core().dagsFolder());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }

        /** Binds {@code /health} first, so that a taken port stops the scheduler before it registers. */
        private static int startHealth(SchedulerHealthServer health, int port) {
            try {
                return health.start(port);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof BindException) {
                    throw new UserError(
                            "port " + port + " for the scheduler's /health is in use; stop what holds it or set "
                                    + "scheduler.health_port (GUST_SCHEDULER__HEALTH_PORT) to a free port, or 0 for any free port");
                }
                throw new UserError("cannot serve the scheduler's /health on port " + port + ": "
                        + e.getCause().getMessage() + "; set scheduler.health_port (GUST_SCHEDULER__HEALTH_PORT)");
            }
        }

        /** Something else (the web server) to stop first. */
        void alsoClose(AutoCloseable closeable) {
            this.extra = closeable;
        }

        /**
         * Runs until SIGTERM (what ECS sends) or SIGINT (Ctrl+C), then stops everything in order
         * on this thread and returns, so the process exits 0 (see {@link ShutdownSignal}).
         */
        void awaitShutdown(PrintWriter err) {
            ShutdownSignal.await();
            err.println("gust: stopping (running tasks get scheduler.shutdown_grace_period to finish)");
            err.flush();
            close();
            err.println("gust: stopped cleanly");
            err.flush();
        }

        private void close() {
            if (extra != null) {
                try {
                    extra.close();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }
            health.close();
            engine.close();
            poller.close();
            database.close();
            metrics.close();
        }
    }
}
