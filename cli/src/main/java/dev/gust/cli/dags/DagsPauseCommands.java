package dev.gust.cli.dags;

import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.events.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code gust dags pause|unpause DAG_ID}: a paused DAG gets no new scheduled runs. The flag and
 * an audit event (owner: the OS user) are written in one transaction, so the audit log never
 * misses a change nor records one that did not happen.
 */
public final class DagsPauseCommands {

    private DagsPauseCommands() {}

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a DAG: no new runs are scheduled.")
    static final class Pause extends PausedFlagCommand {
        Pause() {
            super(true);
        }
    }

    @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpause a DAG: its schedule runs again.")
    static final class Unpause extends PausedFlagCommand {
        Unpause() {
            super(false);
        }
    }

    /** Pause and unpause differ only in the value they give the flag. */
    abstract static class PausedFlagCommand implements Runnable {
        private final boolean paused;

        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "DAG_ID")
        String dagId;

        PausedFlagCommand(boolean paused) {
            this.paused = paused;
        }

        @Override
        public void run() {
            setPaused(metadata, dagId, paused);
        }
    }

    private static void setPaused(MetadataAccess metadata, String dagId, boolean paused) {
        try (CliContext cli = metadata.open()) {
            if (!setPaused(cli, dagId, paused, System.getProperty("user.name"))) {
                throw new UserError("no DAG '" + dagId + "' in the metadata database; 'gust dags list' shows the DAGs");
            }
        }
        metadata.out().println("Dag " + dagId + " paused: " + paused);
    }

    /** Sets the flag and appends the audit event in one transaction; false when there is no such DAG. */
    static boolean setPaused(CliContext cli, String dagId, boolean paused, String owner) {
        return cli.inTransaction(stores -> {
            if (!stores.dags().setPaused(dagId, paused)) {
                return false;
            }
            stores.events().append(Event.of(paused ? "pause" : "unpause", dagId, owner));
            return true;
        });
    }
}
