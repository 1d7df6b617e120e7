package dev.gust.scheduler.operators;

import dev.gust.core.dag.operator.OperatorDeclaration;

/**
 * What a task does, together with its declaration (name, Airflow class paths, arguments):
 * Gust's built-in operators ({@code bash}, {@code http}, {@code sql}, sensors, ...), whose
 * declarations are core's {@code BuiltInOperators}, and those teams add as plugins. A plugin is
 * one class implementing this interface with a public no-argument constructor, listed in
 * {@code META-INF/services/dev.gust.core.dag.operator.OperatorDeclaration} of a jar on the class
 * path: the DAG parser then accepts it in DAG files and the executors run it.
 *
 * <p>{@link #execute} runs on its own (virtual) thread with the task's arguments already rendered.
 * When the task times out or is cleared, that thread is interrupted: an operator that started
 * processes must then kill their whole process tree and return or throw promptly.
 */
public interface Operator extends OperatorDeclaration {

    /** The operator's Gust name, as in DAG files ({@code bash}). */
    default String name() {
        return definition().name();
    }

    /**
     * Runs one try of a task instance.
     *
     * @return how the try ended; a thrown exception is a failed try whose message goes to the log
     */
    OperatorOutcome execute(TaskRunContext context) throws Exception;
}
