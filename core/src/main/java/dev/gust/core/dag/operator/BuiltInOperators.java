package dev.gust.core.dag.operator;

import java.util.List;

/**
 * The declarations of Gust's own operators and sensors: the one table of their names, their
 * Airflow class paths (Airflow 3's {@code providers.standard} paths, Airflow 2's, and the legacy
 * module names Airflow 1 used and Airflow 2 still accepted) and their arguments. They live in
 * core so that the DAG parser validates DAG files in every process, scheduler or not; the
 * scheduler's implementation of each returns its declaration from here.
 */
public final class BuiltInOperators {

    private static final String[] SENSOR_ARGS = {
        "mode", "poke_interval", "timeout", "soft_fail", "exponential_backoff", "max_wait"
    };
    private static final String[] HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

    public static final OperatorDefinition BASH = OperatorDefinition.builder("bash")
            .airflowClass(
                    "airflow.providers.standard.operators.bash.BashOperator",
                    "airflow.operators.bash.BashOperator",
                    "airflow.operators.bash_operator.BashOperator")
            .required("bash_command")
            .optional("env", "cwd", "append_env", "skip_on_exit_code", "output_encoding", "do_xcom_push")
            .build();

    public static final OperatorDefinition HTTP = OperatorDefinition.builder("http")
            .airflowClass(
                    "airflow.providers.http.operators.http.HttpOperator",
                    "airflow.providers.http.operators.http.SimpleHttpOperator",
                    "airflow.operators.http_operator.SimpleHttpOperator")
            .required("endpoint")
            .optional(
                    "http_conn_id",
                    "method",
                    "data",
                    "headers",
                    "log_response",
                    "expected_status",
                    "request_timeout",
                    "do_xcom_push")
            .allowed("method", HTTP_METHODS)
            .build();

    public static final OperatorDefinition SQL = OperatorDefinition.builder("sql")
            .airflowClass(
                    "airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator",
                    "airflow.providers.postgres.operators.postgres.PostgresOperator",
                    "airflow.operators.postgres_operator.PostgresOperator")
            .required("sql")
            .required("conn_id")
            .argAlias("postgres_conn_id", "conn_id")
            .optional("parameters", "autocommit", "max_rows", "do_xcom_push")
            .build();

    public static final OperatorDefinition EMAIL = OperatorDefinition.builder("email")
            .airflowClass(
                    "airflow.providers.smtp.operators.smtp.EmailOperator",
                    "airflow.operators.email.EmailOperator",
                    "airflow.operators.email_operator.EmailOperator")
            .required("to")
            .required("subject")
            .required("html_content")
            .optional("files", "cc", "bcc", "from_email", "mime_subtype", "mime_charset", "custom_headers", "conn_id")
            .build();

    public static final OperatorDefinition ECS_RUN_TASK = OperatorDefinition.builder("ecs_run_task")
            .airflowClass(
                    "airflow.providers.amazon.aws.operators.ecs.EcsRunTaskOperator",
                    "airflow.providers.amazon.aws.operators.ecs.EcsOperator",
                    "airflow.providers.amazon.aws.operators.ecs.ECSOperator",
                    "airflow.contrib.operators.ecs_operator.ECSOperator")
            .required("task_definition", "image")
            .required("cluster")
            .optional(
                    "overrides",
                    "launch_type",
                    "network_configuration",
                    "awslogs_group",
                    "awslogs_stream_prefix",
                    "reattach",
                    "skip_on_exit_code",
                    "command",
                    "container_name",
                    "poll_interval")
            .allowed("launch_type", "FARGATE", "EC2", "EXTERNAL")
            .build();

    public static final OperatorDefinition EMPTY = OperatorDefinition.builder("empty")
            .airflowClass(
                    "airflow.providers.standard.operators.empty.EmptyOperator",
                    "airflow.operators.empty.EmptyOperator",
                    "airflow.operators.dummy.DummyOperator",
                    "airflow.operators.dummy_operator.DummyOperator")
            .build();

    public static final OperatorDefinition BRANCH = OperatorDefinition.builder("branch")
            .airflowClass(
                    "airflow.providers.standard.operators.branch.BaseBranchOperator",
                    "airflow.operators.branch.BaseBranchOperator")
            .required("follow", "bash_command")
            .optional("env", "cwd", "append_env", "output_encoding")
            .build();

    /**
     * Airflow's PythonOperator: a callable named by {@code python_callable} (a dotted path
     * importable from the DAG folder or {@code python.path}) or by dag-factory's
     * {@code python_callable_name} + {@code python_callable_file}, run in a Python subprocess.
     * {@code multiple_outputs} is the TaskFlow {@code @task}'s (which runs as this operator).
     */
    public static final OperatorDefinition PYTHON = python(
                    "python",
                    "airflow.providers.standard.operators.python.PythonOperator",
                    "airflow.operators.python.PythonOperator",
                    "airflow.operators.python_operator.PythonOperator")
            .optional("multiple_outputs")
            .build();

    /** Airflow's ExternalPythonOperator: the python operator in another interpreter, named by {@code python}. */
    public static final OperatorDefinition EXTERNAL_PYTHON = python(
                    "external_python",
                    "airflow.providers.standard.operators.python.ExternalPythonOperator",
                    "airflow.operators.python.ExternalPythonOperator")
            .required("python")
            .build();

    /**
     * Airflow's PythonVirtualenvOperator: the python operator run by a virtualenv made (once, then
     * cached) from the configured interpreter with the task's {@code requirements} installed.
     */
    public static final OperatorDefinition PYTHON_VIRTUALENV = python(
                    "python_virtualenv",
                    "airflow.providers.standard.operators.python.PythonVirtualenvOperator",
                    "airflow.operators.python.PythonVirtualenvOperator",
                    "airflow.operators.python_operator.PythonVirtualenvOperator")
            .optional(
                    "requirements",
                    "system_site_packages",
                    "python_version",
                    "pip_install_options",
                    "index_urls",
                    "multiple_outputs")
            .build();

    /**
     * TaskFlow's {@code @task.bash}: the callable returns the bash command, which then runs as the
     * {@code bash} operator runs {@code bash_command}. Written as a decorator task, not an
     * operator; the class paths are Airflow's (private) operator behind the decorator.
     */
    public static final OperatorDefinition BASH_DECORATED = python(
                    "bash_decorated",
                    "airflow.providers.standard.decorators.bash._BashDecoratedOperator",
                    "airflow.decorators.bash._BashDecoratedOperator")
            .optional("env", "cwd", "append_env", "skip_on_exit_code", "output_encoding")
            .build();

    /** Airflow's BranchPythonOperator: the callable returns the task id(s) to follow. */
    public static final OperatorDefinition BRANCH_PYTHON = python(
                    "branch_python",
                    "airflow.providers.standard.operators.python.BranchPythonOperator",
                    "airflow.operators.python.BranchPythonOperator",
                    "airflow.operators.python_operator.BranchPythonOperator")
            .build();

    /** Airflow's ShortCircuitOperator: a falsy return value skips the downstream tasks. */
    public static final OperatorDefinition SHORT_CIRCUIT = python(
                    "short_circuit",
                    "airflow.providers.standard.operators.python.ShortCircuitOperator",
                    "airflow.operators.python.ShortCircuitOperator",
                    "airflow.operators.python_operator.ShortCircuitOperator")
            .optional("ignore_downstream_trigger_rules")
            .build();

    public static final OperatorDefinition TRIGGER_DAGRUN = OperatorDefinition.builder("trigger_dagrun")
            .airflowClass(
                    "airflow.providers.standard.operators.trigger_dagrun.TriggerDagRunOperator",
                    "airflow.operators.trigger_dagrun.TriggerDagRunOperator",
                    "airflow.operators.dagrun_operator.TriggerDagRunOperator")
            .required("trigger_dag_id")
            .optional("conf", "wait_for_completion", "logical_date", "poke_interval", "allowed_states", "failed_states")
            .build();

    public static final OperatorDefinition FILE_SENSOR = sensor(
                    "file_sensor",
                    "airflow.providers.standard.sensors.filesystem.FileSensor",
                    "airflow.sensors.filesystem.FileSensor",
                    "airflow.contrib.sensors.file_sensor.FileSensor")
            .required("filepath")
            .optional("recursive")
            .build();

    public static final OperatorDefinition HTTP_SENSOR = sensor(
                    "http_sensor",
                    "airflow.providers.http.sensors.http.HttpSensor",
                    "airflow.sensors.http_sensor.HttpSensor")
            .required("endpoint")
            .optional(
                    "http_conn_id",
                    "method",
                    "headers",
                    "data",
                    "expected_status",
                    "response_contains",
                    "request_timeout")
            .allowed("method", HTTP_METHODS)
            .build();

    public static final OperatorDefinition SQL_SENSOR = sensor(
                    "sql_sensor",
                    "airflow.providers.common.sql.sensors.sql.SqlSensor",
                    "airflow.sensors.sql.SqlSensor",
                    "airflow.sensors.sql_sensor.SqlSensor")
            .required("conn_id")
            .required("sql")
            .optional("parameters")
            .build();

    public static final OperatorDefinition EXTERNAL_TASK_SENSOR = sensor(
                    "external_task_sensor",
                    "airflow.providers.standard.sensors.external_task.ExternalTaskSensor",
                    "airflow.sensors.external_task.ExternalTaskSensor",
                    "airflow.sensors.external_task_sensor.ExternalTaskSensor")
            .required("external_dag_id")
            .optional(
                    "external_task_id",
                    "external_task_ids",
                    "allowed_states",
                    "failed_states",
                    "skipped_states",
                    "execution_delta")
            .build();

    public static final OperatorDefinition TIME_DELTA_SENSOR = sensor(
                    "time_delta_sensor",
                    "airflow.providers.standard.sensors.time_delta.TimeDeltaSensor",
                    "airflow.sensors.time_delta.TimeDeltaSensor",
                    "airflow.sensors.time_delta_sensor.TimeDeltaSensor")
            .required("delta")
            .build();

    /** Airflow's PythonSensor: pokes by calling the callable until it returns something truthy. */
    public static final OperatorDefinition PYTHON_SENSOR = sensor(
                    "python_sensor",
                    "airflow.providers.standard.sensors.python.PythonSensor",
                    "airflow.sensors.python.PythonSensor",
                    "airflow.contrib.sensors.python_sensor.PythonSensor")
            .required("python_callable", "python_callable_name")
            .optional("python_callable_file", "op_args", "op_kwargs", "templates_dict", "show_return_value_in_logs")
            .build();

    /** Every built-in declaration, in the order the README lists them. */
    public static final List<OperatorDefinition> ALL = List.of(
            BASH,
            EMPTY,
            BRANCH,
            PYTHON,
            EXTERNAL_PYTHON,
            PYTHON_VIRTUALENV,
            BASH_DECORATED,
            BRANCH_PYTHON,
            SHORT_CIRCUIT,
            HTTP,
            SQL,
            EMAIL,
            TRIGGER_DAGRUN,
            ECS_RUN_TASK,
            FILE_SENSOR,
            HTTP_SENSOR,
            SQL_SENSOR,
            EXTERNAL_TASK_SENSOR,
            TIME_DELTA_SENSOR,
            PYTHON_SENSOR);

    private BuiltInOperators() {}

    /** The arguments every operator calling a Python callable takes. */
    private static OperatorDefinition.Builder python(String name, String... airflowClasses) {
        return OperatorDefinition.builder(name)
                .airflowClass(airflowClasses)
                .required("python_callable", "python_callable_name")
                .optional(
                        "python_callable_file",
                        "op_args",
                        "op_kwargs",
                        "templates_dict",
                        "show_return_value_in_logs",
                        "do_xcom_push");
    }

    private static OperatorDefinition.Builder sensor(String name, String... airflowClasses) {
        return OperatorDefinition.builder(name)
                .airflowClass(airflowClasses)
                .optional(SENSOR_ARGS)
                .allowed("mode", "poke", "reschedule");
    }
}
