package dev.gust.cli;

import dev.gust.core.store.Database;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gust dags pause|unpause DAG_ID}: a paused DAG gets no new scheduled runs. The flag and
 * an audit event (owner: the OS user) are written in one transaction, so the audit log never
 * misses a change nor records one that did not happen.
 */
final class DagsPauseCommands {

    private DagsPauseCommands() {}

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a DAG: no new runs are scheduled.")
    static final class Pause implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Override
        public void run() {
            setPaused(spec, dagId, true);
        }
    }

    @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpause a DAG: its schedule runs again.")
    static final class Unpause implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        @Override
        public void run() {
            setPaused(spec, dagId, false);
        }
    }

    private static void setPaused(CommandSpec spec, String dagId, boolean paused) {
        try (Database database = MetadataDatabase.open(GustCommand.of(spec).config(), spec.commandLine().getErr())) {
            if (!setPaused(database.jdbc(), dagId, paused, System.getProperty("user.name"))) {
                throw new UserError("no DAG '" + dagId + "' in the metadata database; 'gust dags list' shows the DAGs");
            }
        }
        spec.commandLine().getOut().println("Dag " + dagId + " paused: " + paused);
    }

    /** Sets the flag and appends the audit event in one transaction; false when there is no such DAG. */
    static boolean setPaused(Jdbc jdbc, String dagId, boolean paused, String owner) {
        return jdbc.inTransaction(tx -> {
            if (!new DagRepository(tx).setPaused(dagId, paused)) {
                return false;
            }
            new EventLogRepository(tx).append(Event.of(paused ? "pause" : "unpause", dagId, owner));
            return true;
        });
    }
}
