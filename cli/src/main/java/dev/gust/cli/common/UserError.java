package dev.gust.cli.common;

/** A failure the user can fix, reported as its message alone with the given exit code. */
public final class UserError extends RuntimeException {

    private final int exitCode;

    public UserError(String message) {
        this(message, 1);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
