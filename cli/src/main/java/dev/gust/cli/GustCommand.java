package dev.gust.cli;

import dev.gust.cli.admin.ConfigCommand;
import dev.gust.cli.admin.ConnectionsCommand;
import dev.gust.cli.admin.DbCommand;
import dev.gust.cli.admin.JobsCommand;
import dev.gust.cli.admin.PoolsCommand;
import dev.gust.cli.admin.UsersCommand;
import dev.gust.cli.admin.VariablesCommand;
import dev.gust.cli.bench.BenchCommand;
import dev.gust.cli.common.UsageErrorHandler;
import dev.gust.cli.common.UserErrorHandler;
import dev.gust.cli.dags.DagsCommand;
import dev.gust.cli.deploy.DeployCommand;
import dev.gust.cli.servers.SchedulerCommand;
import dev.gust.cli.servers.StandaloneCommand;
import dev.gust.cli.servers.WebserverCommand;
import dev.gust.cli.tasks.TasksCommand;
import dev.gust.core.config.GustConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code gust} command: one entry point whose subcommands wire core, scheduler, webserver and
 * deploy together. Options marked inherited ({@code --config}, {@code --verbose}) are accepted by
 * every subcommand.
 */
@Command(
        name = "gust",
        mixinStandardHelpOptions = true,
        versionProvider = GustVersion.class,
        description = "Gust: an Airflow-style job scheduler for AWS ECS Fargate.")
public final class GustCommand implements Runnable {

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            ConfigCommand.class,
            DbCommand.class,
            DagsCommand.class,
            VariablesCommand.class,
            ConnectionsCommand.class,
            TasksCommand.class,
            PoolsCommand.class,
            UsersCommand.class,
            JobsCommand.class,
            SchedulerCommand.class,
            WebserverCommand.class,
            StandaloneCommand.class,
            BenchCommand.class,
            DeployCommand.class,
            CommandLine.HelpCommand.class);

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "Config file (default: $GUST_CONFIG, else ./gust.yaml if present).")
    Path configFile;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Show debug logs and stack traces.")
    boolean verbose;

    private GustConfig config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; for tests and {@link #main}. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command line that parses {@code args}: the root and the subcommands they need. */
    static CommandLine commandLine(String... args) {
        GustCommand root = new GustCommand();
        CommandLine commandLine = new CommandLine(root);
        for (Class<?> subcommand : subcommandsFor(args)) {
            commandLine.addSubcommand(subcommand);
        }
        commandLine.setExecutionExceptionHandler(new UserErrorHandler(() -> root.verbose));
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        return commandLine;
    }

    /**
     * The subcommands this command line needs. Picocli builds the model of every command it is
     * given, by reflection over its options, before it parses anything; for the whole tree that is
     * most of what {@code gust --version} costs. A command line that names its subcommand gets that
     * one alone (its parsing, usage and errors are the same), {@code --version} alone gets none,
     * and anything else (no subcommand, {@code help}, {@code --help}, an unknown name) gets all.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config" -> i++;
                case "-v", "--verbose" -> {}
                case "-V", "--version" -> version = true;
                default -> {
                    if (arg.startsWith("--config=")) {
                        continue;
                    }
                    if (arg.startsWith("-")) {
                        return SUBCOMMANDS;
                    }
                    for (Class<?> subcommand : SUBCOMMANDS) {
                        Command command = subcommand.getAnnotation(Command.class);
                        if (command.name().equals(arg) && !arg.equals("help")) {
                            return List.of(subcommand);
                        }
                    }
                    return SUBCOMMANDS;
                }
            }
        }
        return version ? List.of() : SUBCOMMANDS;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The effective configuration, loaded once. Logging stays at warnings so that a command's
     * output is only its answer; long-running commands call {@link #daemonConfig()} instead.
     */
    public GustConfig config() {
        if (config == null) {
            config = GustConfig.fromProcessEnvironment(configFile);
            LoggingSetup.configure(config.logging(), verbose, false);
        }
        return config;
    }

    /** The configuration, with Gust's own logs at the configured level (for servers). */
    public GustConfig daemonConfig() {
        GustConfig loaded = config();
        LoggingSetup.configure(loaded.logging(), verbose, true);
        return loaded;
    }

    public boolean verbose() {
        return verbose;
    }

    /** The file given with --config, or null. */
    public Path configFile() {
        return configFile;
    }

    /** The root command of a subcommand's spec, to reach the shared options and config. */
    public static GustCommand of(CommandLine.Model.CommandSpec spec) {
        return (GustCommand) spec.root().userObject();
    }
}
