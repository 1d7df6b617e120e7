package dev.gust.cli.common;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** A wrong flag or argument: the one-line reason, then how to get help, exit code 2 (as picocli's default). */
public final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine.getErr().println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, commandLine.getErr());
        commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
