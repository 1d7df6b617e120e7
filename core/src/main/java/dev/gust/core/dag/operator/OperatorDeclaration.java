package dev.gust.core.dag.operator;

/**
 * The service interface through which operators are added to Gust: what DAG files may write for
 * one operator (its Gust name, its Airflow class paths and its arguments, see
 * {@link OperatorDefinition}). The DAG parser finds every declaration on the class path with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.gust.core.dag.operator.OperatorDeclaration}) and validates DAG
 * files against them without needing their implementation; the scheduler's operators implement
 * this interface too, so that a plugin's one class is both its declaration and what runs it.
 */
public interface OperatorDeclaration {

    /** The operator's name, Airflow class paths and argument schema. */
    OperatorDefinition definition();
}
