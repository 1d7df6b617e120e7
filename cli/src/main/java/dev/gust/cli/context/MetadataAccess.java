package dev.gust.cli.context;

import dev.gust.cli.GustCommand;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.secrets.SecretCipher;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The picocli mixin of a command that needs the metadata database: {@code @Mixin MetadataAccess
 * metadata;} then {@code try (CliContext cli = metadata.open()) ...}. It reads the shared options
 * of the root command, opens the database as {@link MetadataDatabase} does, and builds the
 * command's {@link CliContext}.
 */
// picocli takes a class as a mixin only when it carries one of its annotations; an empty @Command adds nothing to help
@Command
public final class MetadataAccess {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The effective configuration (loaded once per process). */
    public GustConfig config() {
        return GustCommand.of(spec).config();
    }

    /** The configuration with Gust's own logs on, for the long-running commands. */
    public GustConfig daemonConfig() {
        return GustCommand.of(spec).daemonConfig();
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Opens the database with its schema checked (migrated when embedded), for a command that runs
     * a few statements and exits: one connection, no pool ({@link MetadataDatabase#openUnpooled}).
     */
    public CliContext open() {
        GustConfig config = config();
        return CliContext.over(config, MetadataDatabase.openUnpooled(config, err()));
    }

    /** Opens the database with its schema checked and a connection pool, for a command that runs tasks. */
    public CliContext openPooled() {
        return open(config());
    }

    /** Opens the database of this configuration (a server's, say) with a pool, its schema checked. */
    public CliContext open(GustConfig config) {
        return CliContext.over(config, MetadataDatabase.open(config, err()));
    }

    /**
     * Opens the database for a command that reads or writes secrets: the encryption key is
     * checked first, so that a missing key is said before the database is started.
     */
    public CliContext openWithSecrets() {
        GustConfig config = config();
        SecretCipher cipher = CommandCipher.of(config);
        return new CliContext(config, MetadataDatabase.openUnpooled(config, err()), cipher);
    }

    /** Connects without touching or checking the schema ({@code gust db}). */
    public CliContext connect() {
        GustConfig config = config();
        return CliContext.over(config, MetadataDatabase.connect(config, err()));
    }
}
