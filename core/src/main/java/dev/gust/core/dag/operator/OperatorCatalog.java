package dev.gust.core.dag.operator;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operators DAG files may use, looked up by Gust name or by Airflow class path. The
 * built-in operators are registered here; {@link #register} is the hook a plugin mechanism
 * (a Java SPI) uses to add more.
 */
public final class OperatorCatalog {

    private static final String[] SENSOR_ARGS = {"mode", "poke_interval", "timeout", "soft_fail", "exponential_backoff", "max_wait"};

    private final Map<String, OperatorDefinition> byName = new ConcurrentHashMap<>();
    private final Map<String, OperatorDefinition> byAnyName = new ConcurrentHashMap<>();

    public static OperatorCatalog builtIn() {
        OperatorCatalog catalog = new OperatorCatalog();
        builtInDefinitions().forEach(catalog::register);
        return catalog;
    }

    public void register(OperatorDefinition definition) {
        byName.put(definition.name(), definition);
        byAnyName.put(definition.name(), definition);
        definition.aliases().forEach(alias -> byAnyName.put(alias, definition));
    }

    /** Finds an operator by its Gust name or any of its Airflow class paths. */
    public Optional<OperatorDefinition> find(String nameOrClassPath) {
        return Optional.ofNullable(byAnyName.get(nameOrClassPath));
    }

    public Collection<OperatorDefinition> all() {
        return byName.values();
    }

    /** Gust names of all operators, sorted, for error messages. */
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    private static List<OperatorDefinition> builtInDefinitions() {
        Map<String, OperatorDefinition> defs = new LinkedHashMap<>();
        add(defs, OperatorDefinition.builder("bash")
                .airflowClass("airflow.operators.bash.BashOperator", "airflow.operators.bash_operator.BashOperator")
                .required("bash_command")
                .optional("env", "cwd", "append_env", "skip_on_exit_code", "output_encoding", "do_xcom_push"));
        add(defs, OperatorDefinition.builder("http")
                .airflowClass("airflow.providers.http.operators.http.SimpleHttpOperator",
                        "airflow.providers.http.operators.http.HttpOperator")
                .required("endpoint")
                .optional("http_conn_id", "method", "data", "headers", "log_response", "expected_status",
                        "request_timeout", "do_xcom_push")
                .allowed("method", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"));
        add(defs, OperatorDefinition.builder("sql")
                .airflowClass("airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator",
                        "airflow.providers.postgres.operators.postgres.PostgresOperator")
                .required("sql")
                .required("conn_id")
                .argAlias("postgres_conn_id", "conn_id")
                .optional("parameters", "autocommit", "max_rows", "do_xcom_push"));
        add(defs, OperatorDefinition.builder("ecs_run_task")
                .airflowClass("airflow.providers.amazon.aws.operators.ecs.EcsRunTaskOperator")
                .required("task_definition", "image")
                .required("cluster")
                .optional("overrides", "launch_type", "network_configuration", "awslogs_group",
                        "awslogs_stream_prefix", "reattach", "skip_on_exit_code", "command", "container_name",
                        "poll_interval")
                .allowed("launch_type", "FARGATE", "EC2", "EXTERNAL"));
        add(defs, OperatorDefinition.builder("empty")
                .airflowClass("airflow.operators.empty.EmptyOperator", "airflow.operators.dummy.DummyOperator",
                        "airflow.operators.dummy_operator.DummyOperator"));
        add(defs, OperatorDefinition.builder("branch")
                .airflowClass("airflow.operators.branch.BaseBranchOperator")
                .required("follow", "bash_command")
                .optional("env", "cwd", "append_env", "output_encoding"));
        add(defs, OperatorDefinition.builder("trigger_dagrun")
                .airflowClass("airflow.operators.trigger_dagrun.TriggerDagRunOperator")
                .required("trigger_dag_id")
                .optional("conf", "wait_for_completion", "logical_date", "poke_interval", "allowed_states",
                        "failed_states"));
        add(defs, sensor("file_sensor", "airflow.sensors.filesystem.FileSensor")
                .required("filepath")
                .optional("recursive"));
        add(defs, sensor("http_sensor", "airflow.providers.http.sensors.http.HttpSensor")
                .required("endpoint")
                .optional("http_conn_id", "method", "headers", "data", "expected_status", "response_contains",
                        "request_timeout")
                .allowed("method", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"));
        add(defs, sensor("sql_sensor", "airflow.providers.common.sql.sensors.sql.SqlSensor")
                .required("conn_id")
                .required("sql")
                .optional("parameters"));
        add(defs, sensor("external_task_sensor", "airflow.sensors.external_task.ExternalTaskSensor")
                .required("external_dag_id")
                .optional("external_task_id", "allowed_states", "failed_states", "skipped_states", "execution_delta"));
        add(defs, sensor("time_delta_sensor", "airflow.sensors.time_delta.TimeDeltaSensor")
                .required("delta"));
        return List.copyOf(defs.values());
    }

    private static OperatorDefinition.Builder sensor(String name, String airflowClass) {
        return OperatorDefinition.builder(name)
                .airflowClass(airflowClass)
                .optional(SENSOR_ARGS)
                .allowed("mode", "poke", "reschedule");
    }

    private static void add(Map<String, OperatorDefinition> defs, OperatorDefinition.Builder builder) {
        OperatorDefinition definition = builder.build();
        defs.put(definition.name(), definition);
    }
}
