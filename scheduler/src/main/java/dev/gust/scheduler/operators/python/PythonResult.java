package dev.gust.scheduler.operators.python;

/**
 * How one Python try ended, as the task runner reported it: the callable returned
 * ({@link Returned}, with its value decoded from JSON), raised AirflowSkipException
 * ({@link Skipped}), raised AirflowFailException ({@link FailedWithoutRetry}), raised anything
 * else or could not be loaded ({@link Failed}), or the process ended without a report
 * ({@link Died}: killed, crashed, or the interpreter is not Python 3).
 */
public sealed interface PythonResult {

    /**
     * {@code truthy} is Python's {@code bool()} of the value; for a PokeReturnValue
     * ({@code pokeReturnValue}) it is its {@code is_done}, and the value is its {@code xcom_value}.
     */
    record Returned(Object value, boolean truthy, boolean pokeReturnValue) implements PythonResult {}

    record Skipped(String message) implements PythonResult {}

    record Failed(String message) implements PythonResult {}

    record FailedWithoutRetry(String message) implements PythonResult {}

    record Died(int exitCode) implements PythonResult {}
}
