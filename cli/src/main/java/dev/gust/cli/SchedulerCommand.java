package dev.gust.cli;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderPoller;
import dev.gust.core.store.Database;
import dev.gust.scheduler.engine.SchedulerEngine;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gust scheduler}: the DAG folder kept in sync, schedules turned into runs, tasks run by
 * the local executor. Several may run at once against one database. Stops on SIGTERM.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Run the scheduler: DAG folder sync, schedules, task execution.")
final class SchedulerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        GustConfig config = GustCommand.of(spec).daemonConfig();
        PrintWriter out = spec.commandLine().getOut();
        Database database = MetadataDatabase.open(config, spec.commandLine().getErr());
        Components components = Components.start(config, database, out);
        out.println("gust: scheduler running (Ctrl+C or SIGTERM stops it)");
        out.flush();
        components.awaitShutdown(spec.commandLine().getErr());
    }

    /** The long-running parts a scheduler process is made of, and their orderly stop. */
    static final class Components {
        private final Database database;
        private final DagFolderPoller poller;
        private final SchedulerEngine engine;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private AutoCloseable extra;

        private Components(Database database, DagFolderPoller poller, SchedulerEngine engine) {
            this.database = database;
            this.poller = poller;
            this.engine = engine;
        }

        static Components start(GustConfig config, Database database, PrintWriter out) {
            DagFolderPoller poller = new DagFolderPoller(DagsCommand.DagFolderSyncs.create(config, database));
            SchedulerEngine engine = new SchedulerEngine(config, database, Clock.systemUTC());
            try {
                var loaded = poller.start(config.core().dagDirListInterval());
                out.printf("gust: %d DAGs loaded from %s (%d import errors), re-scanned every %ds%n", loaded.dags(),
                        config.core().dagsFolder().toAbsolutePath(), loaded.importErrors(),
                        config.core().dagDirListInterval().toSeconds());
                engine.start();
            } catch (RuntimeException e) {
                engine.close();
                poller.close();
                database.close();
                throw e;
            }
            return new Components(database, poller, engine);
        }

        /** Something else (the web server) to stop first. */
        void alsoClose(AutoCloseable closeable) {
            this.extra = closeable;
        }

        void awaitShutdown(PrintWriter err) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                err.println("gust: stopping");
                err.flush();
                close();
                stopped.countDown();
            }, "gust-shutdown"));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void close() {
            if (extra != null) {
                try {
                    extra.close();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }
            engine.close();
            poller.close();
            database.close();
        }
    }
}
