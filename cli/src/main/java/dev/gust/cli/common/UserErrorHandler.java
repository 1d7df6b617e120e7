package dev.gust.cli.common;

import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown by a command into one line on stderr and exit code 1. Errors a user
 * can cause already carry a message that says what to do; the stack trace only with --verbose.
 */
public final class UserErrorHandler implements IExecutionExceptionHandler {

    private final BooleanSupplier verbose;

    public UserErrorHandler(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (verbose.getAsBoolean()) {
            e.printStackTrace(commandLine.getErr());
        }
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
        commandLine
                .getErr()
                .println("error: " + message.lines().findFirst().orElse(message)
                        + (verbose.getAsBoolean() || e instanceof UserError || isKnownUserError(e)
                                ? ""
                                : " (run with --verbose for details)"));
        return e instanceof UserError userError ? userError.exitCode() : 1;
    }

    private static boolean isKnownUserError(Exception e) {
        return e instanceof dev.gust.core.config.ConfigException
                || e instanceof dev.gust.core.store.DatabaseUnreachableException
                || e instanceof dev.gust.core.dag.sync.DagFolderMissingException
                || e instanceof dev.gust.core.users.UserAccountException
                || e instanceof dev.gust.deploy.DeployException
                || e instanceof dev.gust.bench.BenchmarkException;
    }
}
