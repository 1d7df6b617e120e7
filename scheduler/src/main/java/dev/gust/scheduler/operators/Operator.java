package dev.gust.scheduler.operators;

/**
 * What a task does: Gust's built-in operators ({@code bash}, {@code http}, {@code sql}, sensors,
 * ...) and those teams add through {@link java.util.ServiceLoader} (Java SPI: list the class in
 * {@code META-INF/services/dev.gust.scheduler.operators.Operator} and register its arguments in
 * the core {@code OperatorCatalog}).
 *
 * <p>{@link #execute} runs on its own (virtual) thread with the task's arguments already rendered.
 * When the task times out or is cleared, that thread is interrupted: an operator that started
 * processes must then kill their whole process tree and return or throw promptly.
 */
public interface Operator {

    /** The operator's Gust name, as in DAG files ({@code bash}). */
    String name();

    /**
     * Runs one try of a task instance.
     *
     * @return how the try ended; a thrown exception is a failed try whose message goes to the log
     */
    OperatorOutcome execute(TaskRunContext context) throws Exception;
}
