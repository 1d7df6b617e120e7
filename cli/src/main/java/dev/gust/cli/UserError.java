package dev.gust.cli;

/** A failure the user can fix, reported as its message alone with the given exit code. */
final class UserError extends RuntimeException {

    private final int exitCode;

    UserError(String message) {
        this(message, 1);
    }

    UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
