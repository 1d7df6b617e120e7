package dev.gust.core.dag.load;

import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDeclaration;
import dev.gust.core.dag.operator.OperatorDefinition;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * A stand-in for the {@code python} operator the Python runtime declares, with the arguments
 * the loader relies on, so that the loader's tests of Python task forms do not depend on the
 * runtime. Found through the services file under {@code operator-plugin-python/}; {@link #catalog()}
 * is the built-in catalog with it.
 */
public final class PythonDeclarationForTests implements OperatorDeclaration {

    @Override
    public OperatorDefinition definition() {
        return OperatorDefinition.builder("python")
                .airflowClass(
                        "airflow.operators.python.PythonOperator",
                        "airflow.providers.standard.operators.python.PythonOperator")
                .required("python_callable", "python_callable_name")
                .optional("python_callable_file", "op_args", "op_kwargs", "templates_dict", "show_return_value_in_logs")
                .build();
    }

    /** The built-in operators and this {@code python} operator. */
    static OperatorCatalog catalog() {
        URL folder = PythonDeclarationForTests.class.getClassLoader().getResource("operator-plugin-python/");
        return OperatorCatalog.load(
                new URLClassLoader(new URL[] {folder}, PythonDeclarationForTests.class.getClassLoader()));
    }
}
